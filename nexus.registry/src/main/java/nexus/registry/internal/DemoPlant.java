package nexus.registry.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nexus.registry.Problem;
import nexus.registry.ValidationReport;
import nexus.rma.RmaType;

/**
 * Generates a plausible plant as a tag list: sites, areas, lines and equipment (pumps, tanks,
 * valves, motors, flow meters), each with a handful of typed signals, units and properties, some
 * writable commands and set-points, and alarm definitions on levels, temperatures and faults.
 * Signals the simulator moves carry the property {@code simulate} (sine, ramp, noise, toggle).
 * Deterministic: the same size gives the same plant.
 */
final class DemoPlant {

    /** One signal of an equipment kind. */
    private record Signal(String name, String type, String unit, String description, boolean writable,
            Double low, Double high, String simulate) {
    }

    private record Kind(String name, List<Signal> signals) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("pump", List.of(
                    new Signal("running", "BOOL", null, "pump is running", false, null, null, "toggle"),
                    new Signal("start_cmd", "BOOL", null, "start command", true, null, null, null),
                    new Signal("speed", "FLOAT32", "rpm", "shaft speed", false, 0.0, 3000.0, "sine"),
                    new Signal("current", "FLOAT32", "A", "motor current", false, 0.0, 60.0, "noise"),
                    new Signal("fault", "BOOL", null, "drive fault", false, null, null, null),
                    new Signal("run_hours", "UINT32", "h", "running hours", false, null, null, "ramp"))),
            new Kind("tank", List.of(
                    new Signal("level", "FLOAT32", "%", "level", false, 0.0, 100.0, "sine"),
                    new Signal("temperature", "FLOAT32", "degC", "temperature", false, -20.0, 150.0, "noise"),
                    new Signal("high_switch", "BOOL", null, "high level switch", false, null, null, null),
                    new Signal("level_sp", "FLOAT32", "%", "level set-point", true, 0.0, 100.0, null))),
            new Kind("valve", List.of(
                    new Signal("position", "FLOAT32", "%", "position", false, 0.0, 100.0, "sine"),
                    new Signal("position_sp", "FLOAT32", "%", "position set-point", true, 0.0, 100.0, null),
                    new Signal("open", "BOOL", null, "fully open", false, null, null, "toggle"),
                    new Signal("label", "STRING(16)", null, "valve label", false, null, null, null))),
            new Kind("motor", List.of(
                    new Signal("speed", "INT16", "rpm", "speed", false, -3000.0, 3000.0, "sine"),
                    new Signal("torque", "FLOAT32", "Nm", "torque", false, 0.0, 500.0, "noise"),
                    new Signal("state", "UINT8", null, "state code", false, null, null, null),
                    new Signal("enable", "BOOL", null, "enable command", true, null, null, null))),
            new Kind("flowmeter", List.of(
                    new Signal("flow", "FLOAT64", "m3/h", "flow", false, 0.0, 500.0, "noise"),
                    new Signal("total", "FLOAT64", "m3", "totalised volume", false, null, null, "ramp"),
                    new Signal("pulses", "UINT32", null, "pulse counter", false, null, null, "ramp"))));

    private DemoPlant() {
    }

    /**
     * @param tags about how many tags (the plant is built equipment by equipment)
     * @return the tag list: banks {@code process} and {@code alarms} sized for the plant
     */
    static TagList generate(int tags) {
        TagList list = new TagList("demo plant (" + tags + " tags)");
        int equipment = 0;
        int count = 0;
        long bytes = 0;
        long bools = 0;
        int alarms = 0;
        List<TagList.TagSpec> specs = list.tags;
        while (count < tags) {
            Kind kind = KINDS.get(equipment % KINDS.size());
            int site = 1 + equipment / 2000;
            int line = 1 + (equipment / 40) % 50;
            String area = "area" + (1 + (equipment / 400) % 5);
            String asset = kind.name() + (equipment % 40 + 1);
            String prefix = "site" + site + "/" + area + "/line" + line + "/" + asset + "/";
            for (Signal signal : kind.signals()) {
                TagList.TagSpec tag = new TagList.TagSpec();
                tag.path = prefix + signal.name();
                TagList.parseType(tag, signal.type(), null);
                tag.bank = "process";
                tag.unit = signal.unit();
                tag.description = asset + " " + signal.description();
                tag.writable = signal.writable();
                tag.engLow = signal.low();
                tag.engHigh = signal.high();
                tag.properties = signal.simulate() == null
                        ? Map.of("site", "site" + site, "area", area, "asset", asset, "kind", kind.name())
                        : Map.of("site", "site" + site, "area", area, "asset", asset, "kind", kind.name(),
                                "simulate", signal.simulate());
                tag.place = new TagList.Place("demo", specs.size() + 1, 0);
                specs.add(tag);
                bytes += tag.type == RmaType.BOOL ? 0 : tag.length;
                bools += tag.type == RmaType.BOOL ? 1 : 0;
                count++;
            }
            alarms += alarmsFor(list, kind, prefix, asset);
            equipment++;
        }
        // A quarter on top for alignment padding and the partly filled BOOL bytes.
        list.banks.add(bank("process", (bytes + bools / 8 + 1) * 5 / 4));
        list.banks.add(bank("alarms", alarms));
        return list;
    }

    /** Generates the plant and writes it as a registry file. */
    static ValidationReport write(Path file, int tags) {
        long started = System.nanoTime();
        TagList list = generate(tags);
        List<Problem> problems = new ArrayList<>();
        RegistryContent content = ListCompiler.compile(list, problems);
        if (content != null) {
            try {
                RegistryWriter.write(content, file);
            } catch (java.io.IOException | java.sql.SQLException e) {
                problems.add(new Problem(Problem.Kind.INTEGRITY, "cannot write " + file + ": " + e.getMessage(),
                        List.of(file.toString())));
            }
        }
        return new ValidationReport(file.toString(), list.tags.size(), list.alarms.size(), problems,
                (System.nanoTime() - started) / 1_000_000);
    }

    private static int alarmsFor(TagList list, Kind kind, String prefix, String asset) {
        int before = list.alarms.size();
        // One piece of equipment in five gets alarms: a few hundred for ten thousand tags.
        if ((prefix.hashCode() & 0x7fffffff) % 5 != 0) {
            return 0;
        }
        switch (kind.name()) {
            case "tank" -> {
                list.alarms.add(alarm(prefix + "level", prefix + "level_hi", "HI", 90.0, 2.0, "HIGH", asset + " level high"));
                list.alarms.add(alarm(prefix + "level", prefix + "level_lo", "LO", 10.0, 2.0, "MEDIUM", asset + " level low"));
                list.alarms.add(alarm(prefix + "temperature", prefix + "temperature_hihi", "HIHI", 120.0, 5.0, "CRITICAL",
                        asset + " temperature very high"));
            }
            case "pump" -> {
                // A drive fault latches: it stays in alarm until an operator resets it.
                TagList.AlarmSpec fault = alarm(prefix + "fault", prefix + "fault", "TRUE", null, 0.0, "HIGH",
                        asset + " drive fault");
                fault.latching = true;
                list.alarms.add(fault);
            }
            case "motor" -> list.alarms.add(alarm(prefix + "torque", prefix + "torque_hi", "HI", 450.0, 10.0, "MEDIUM", asset + " torque high"));
            case "flowmeter" -> list.alarms.add(alarm(prefix + "flow", prefix + "flow_lo", "LO", 5.0, 1.0, "LOW", asset + " flow low"));
            default -> { }
        }
        return list.alarms.size() - before;
    }

    private static TagList.AlarmSpec alarm(String tag, String name, String condition, Double limit, double deadband,
            String severity, String message) {
        TagList.AlarmSpec alarm = new TagList.AlarmSpec();
        alarm.name = name;
        alarm.tag = tag;
        alarm.condition = condition;
        alarm.limit = limit;
        alarm.deadband = deadband;
        alarm.severity = severity;
        alarm.maxShelveSeconds = 8 * 3600;
        alarm.onDelayMillis = 1000;
        alarm.message = message;
        alarm.place = new TagList.Place("demo", 0, 0);
        return alarm;
    }

    /** A bank of at least 64 KiB (8 KiB for alarms), a power of two above what the plant needs. */
    private static TagList.BankSpec bank(String name, long bytes) {
        long size = name.equals("alarms") ? 8 * 1024 : 64 * 1024;
        while (size < bytes) {
            size *= 2;
        }
        TagList.BankSpec bank = new TagList.BankSpec();
        bank.name = name;
        bank.size = (int) size;
        bank.place = new TagList.Place("demo", 0, 0);
        return bank;
    }
}
