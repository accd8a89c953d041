package nexus.registry.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import nexus.rma.RmaType;

/**
 * A tag list as read from a CSV or JSON file (docs/registry.md): banks, tags and alarms, each
 * with the place it came from. Addresses may be absent until {@link Allocator} assigns them.
 * Mutable, single-threaded.
 */
final class TagList {

    /** Where something came from: a file, line and column (1-based; column 0 when unknown). */
    record Place(String file, int line, int column) {
        @Override
        public String toString() {
            return file + ":" + line + (column > 0 ? ":" + column : "");
        }
    }

    static final class BankSpec {
        String name;
        int size;
        Place place;
    }

    static final class TagSpec {
        String path;
        /** The type as written, for messages; {@link #type} is null when it is not a known type. */
        String typeText;
        RmaType type;
        int length;
        String bank;
        Integer byteOffset;
        int bitOffset;
        String unit;
        String description;
        boolean writable;
        Double engLow;
        Double engHigh;
        Map<String, String> properties = new LinkedHashMap<>();
        /** The roles that may write it, each a valid role name; empty for none. */
        SortedSet<String> writeRoles = new TreeSet<>();
        Place place;
    }

    static final class AlarmSpec {
        String name;
        String tag;
        /** Whether {@link #tag} names a contributed tag (a federation mirror's), resolved per version. */
        boolean contributed;
        String condition;
        Double limit;
        double deadband;
        String severity = "MEDIUM";
        boolean requiresAck = true;
        boolean latching;
        long onDelayMillis;
        long offDelayMillis;
        long maxShelveSeconds;
        String message;
        String flagBank;
        Integer flagByte;
        Place place;
    }

    final String source;
    final List<BankSpec> banks = new ArrayList<>();
    final List<TagSpec> tags = new ArrayList<>();
    final List<AlarmSpec> alarms = new ArrayList<>();

    TagList(String source) {
        this.source = source;
    }

    /** Parses a type as written in a list: {@code FLOAT32}, {@code STRING(16)}, {@code string}. */
    static void parseType(TagSpec tag, String text, Integer length) {
        tag.typeText = text == null ? "" : text.strip();
        String t = tag.typeText.toUpperCase(java.util.Locale.ROOT);
        if (t.startsWith("STRING(") && t.endsWith(")")) {
            try {
                tag.type = RmaType.STRING;
                tag.length = Integer.parseInt(t.substring(7, t.length() - 1).strip());
            } catch (NumberFormatException e) {
                tag.type = null;
            }
            return;
        }
        try {
            tag.type = RmaType.valueOf(t);
        } catch (IllegalArgumentException e) {
            tag.type = null;
            return;
        }
        tag.length = tag.type == RmaType.STRING ? (length == null ? 0 : length)
                : tag.type == RmaType.BOOL ? 1 : tag.type.size();
    }
}
