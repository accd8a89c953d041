package nexus.security.internal;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import nexus.core.AuditRecord;
import nexus.core.AuditTrail;
import nexus.core.Caller;
import nexus.core.NexusException;
import nexus.registry.Registry;
import nexus.registry.RegistryListener;
import nexus.registry.TagRegistry;

/**
 * Audits every registry version that changes who may write what: which tags became or stopped
 * being writable, and whose {@code write_roles} changed. One record per such version (target
 * {@code REGISTRY}, name the version, action {@value #ACTION}), logged too; without an
 * {@link AuditTrail} the log line is all there is. The version served when this component starts is
 * the first one compared against (changes made while the node was down are not known).
 *
 * <p>Reading a version's tags takes a while for a large registry, so it happens on the thread
 * {@code nexus-security-write-audit}, not on the registry's.
 */
@Component(service = RegistryListener.class, immediate = true)
public final class WriteRolesAudit implements RegistryListener {

    private static final Logger LOG = LoggerFactory.getLogger(WriteRolesAudit.class);

    /** The action of the audit records. */
    static final String ACTION = "write-roles";

    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            task -> new Thread(task, "nexus-security-write-audit"));

    /** Who could write what in the last version read; touched only on the worker thread. */
    private TagWriteRoles last;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile AuditTrail audit;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile TagRegistry registry;

    /** Reads the version served now, to compare the next one against. */
    @Activate
    void activate() {
        submit(() -> {
            TagRegistry served = registry;
            if (served != null) {
                try {
                    seen(served.current());
                } catch (NexusException e) {
                    LOG.debug("No registry served yet ({}): write roles are compared from the first version served",
                            e.getMessage());
                }
            }
        });
    }

    @Override
    public void registryChanged(Registry served) {
        submit(() -> seen(served));
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        worker.shutdownNow();
        if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("The write roles audit did not stop within 10 s");
        }
    }

    /** Compares a version with the last one read, audits the difference, and keeps it. */
    void seen(Registry served) {
        if (last != null && served.version() <= last.version()) {
            return;
        }
        TagWriteRoles now;
        try {
            now = TagWriteRoles.of(served);
        } catch (NexusException e) {
            LOG.warn("Cannot read registry version {} to audit its write roles: {}", served.version(), e.getMessage());
            return;
        }
        TagWriteRoles before = last;
        last = now;
        if (before == null) {
            return;
        }
        List<String> changes = now.changesSince(before);
        if (changes.isEmpty()) {
            return;
        }
        String detail = now.detail(before, changes);
        // the audit record carries it all; the log line stays a line (a federation host's mirrors change thousands)
        LOG.info("Write roles changed: {}", detail.length() <= 500 ? detail
                : detail.substring(0, 500) + "... (" + changes.size() + " changes: the audit record has them all)");
        AuditTrail trail = audit;
        if (trail == null) {
            return;
        }
        try {
            trail.append(AuditRecord.done(Caller.of(RolesComponent.NODE_USER, "registry " + now.file()),
                    AuditRecord.Target.REGISTRY, Long.toString(now.version()), ACTION, before.version(), now.version(),
                    detail));
        } catch (NexusException e) {
            LOG.error("The audit trail did not take the write roles of registry version {}: {}", now.version(),
                    e.getMessage());
        }
    }

    private void submit(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Registry version arrived while the write roles audit stops");
        }
    }
}
