package nexus.bench.stream;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads the UTC instants the node writes ({@code Instant.toString()}: {@code 2026-12-06T15:04:17.120Z},
 * with 0, 3, 6 or 9 fraction digits) into nanoseconds since the epoch without allocating, since the
 * load generator reads one per value received. Any other form goes through {@link Instant#parse}.
 */
final class IsoInstant {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private IsoInstant() {
    }

    /**
     * @return nanoseconds since the Unix epoch
     * @throws DateTimeParseException when the text is not an ISO-8601 instant
     */
    static long epochNanos(CharSequence text) {
        int n = text.length();
        if (n < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z') {
            return slow(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        long fraction = 0;
        if (n > 20) {
            int digits = n - 21;
            if (text.charAt(19) != '.' || digits < 1 || digits > 9) {
                return slow(text);
            }
            fraction = digits(text, 20, n - 1);
            for (int i = digits; i < 9; i++) {
                fraction *= 10;
            }
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59 || fraction < 0 || day > 28 && day > monthLength(year, month)) {
            return slow(text);
        }
        long seconds = daysSinceEpoch(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
        return seconds * NANOS_PER_SECOND + fraction;
    }

    /** The days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
    static long daysSinceEpoch(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    private static int monthLength(int year, int month) {
        return switch (month) {
            case 2 -> year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** @return the decimal number in {@code [from, to)}, or -1 when a character is not a digit */
    private static int digits(CharSequence text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int d = text.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static long slow(CharSequence text) {
        Instant instant = Instant.parse(text);
        return instant.getEpochSecond() * NANOS_PER_SECOND + instant.getNano();
    }
}
