package nexus.simulator.internal;

import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.Health;
import nexus.core.HealthIndicator;
import nexus.core.NexusException;
import nexus.registry.AllocationIndex;
import nexus.registry.Registry;
import nexus.registry.TagRegistry;
import nexus.rma.RmaBackend;

/**
 * The demo simulator (PID {@code nexus.simulator}, required): every interval, writes the next values
 * of the registry's simulated tags into the RMA backend in use, on thread {@code nexus-simulator-step}.
 * Follows registry versions and backend swaps; reports {@code simulator} health (optional).
 *
 * <p>It writes RMA directly, not through the tag service: it is a driver standing in for a PLC, not a
 * front-end, so its writes are neither checked against the writable flag nor audited.
 */
@Component(configurationPid = "nexus.simulator", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = HealthIndicator.class, immediate = true)
@Designate(ocd = SimulatorConfig.class)
public final class SimulatorComponent implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorComponent.class);

    private final ScheduledExecutorService executor;
    private final long interval;
    private final long started = System.nanoTime();
    private Simulation simulation;
    /** The registry the simulation was made for: another one (even with the same version) is simulated anew. */
    private Registry simulated;
    private volatile String state = "starting";
    private volatile boolean up;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TagRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RmaBackend backend;

    @Activate
    public SimulatorComponent(SimulatorConfig config) {
        this.interval = Math.max(10, config.interval());
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "nexus-simulator-step");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::step, 0, interval, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }

    private void step() {
        TagRegistry tags = registry;
        RmaBackend memory = backend;
        if (tags == null || memory == null) {
            report(false, tags == null ? "waiting for the registry" : "waiting for an RMA backend");
            return;
        }
        try {
            Registry current = tags.current();
            java.util.Optional<String> paused = tags.writesRefused();
            if (paused.isPresent()) {
                report(false, "paused: " + paused.get());
                return;
            }
            if (current != simulated) {
                simulation = load(current);
                simulated = current;
                LOG.info("Simulating {} tags of registry version {} every {} ms", simulation.size(), current.version(), interval);
            }
            int refused = simulation.step(memory, (System.nanoTime() - started) / 1e9);
            report(refused == 0, "writing " + simulation.size() + " tags every " + interval + " ms"
                    + (refused == 0 ? "" : "; " + refused + " writes refused (do the RMA banks match the registry's?)"));
        } catch (NexusException e) {
            report(false, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("The simulator step failed", e);
            report(false, "the last step failed: " + e.getMessage());
        }
    }

    private void report(boolean healthy, String detail) {
        up = healthy;
        state = detail;
    }

    /**
     * Finds the simulated tags: those with the property simulate (and a mode the simulation knows). The
     * registry hands them over one at a time and only position, mode and range are kept (primitive
     * arrays), so a million-tag registry is scanned in a few megabytes.
     */
    static Simulation load(Registry registry) {
        AllocationIndex index = registry.index();
        Found found = new Found();
        registry.withProperty("simulate", tag -> {
            int position = index.position(tag.id());
            Simulation.Mode mode = Simulation.mode(tag.properties().get("simulate"));
            if (position >= 0 && mode != null) {
                found.add(position, mode, tag.engLow() == null ? Double.NaN : tag.engLow(),
                        tag.engHigh() == null ? Double.NaN : tag.engHigh());
            }
        });
        return new Simulation(index, Arrays.copyOf(found.positions, found.count), Arrays.copyOf(found.modes, found.count),
                Arrays.copyOf(found.lows, found.count), Arrays.copyOf(found.highs, found.count));
    }

    /** The simulated tags found so far, in growing arrays. */
    private static final class Found {
        int count;
        int[] positions = new int[64];
        Simulation.Mode[] modes = new Simulation.Mode[64];
        double[] lows = new double[64];
        double[] highs = new double[64];

        void add(int position, Simulation.Mode mode, double low, double high) {
            if (count == positions.length) {
                int size = count * 2;
                positions = Arrays.copyOf(positions, size);
                modes = Arrays.copyOf(modes, size);
                lows = Arrays.copyOf(lows, size);
                highs = Arrays.copyOf(highs, size);
            }
            positions[count] = position;
            modes[count] = mode;
            lows[count] = low;
            highs[count] = high;
            count++;
        }
    }

    @Override
    public String name() {
        return "simulator";
    }

    @Override
    public boolean required() {
        return false;
    }

    @Override
    public Health health() {
        return up ? Health.up(state) : Health.down(state);
    }
}
