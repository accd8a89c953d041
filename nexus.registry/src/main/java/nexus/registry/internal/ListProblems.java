package nexus.registry.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import nexus.registry.Problem;
import nexus.registry.Problem.Kind;

/** Problems found while reading a tag list, each with its file, line and column. */
final class ListProblems {

    final List<Problem> problems = new ArrayList<>();

    void add(Kind kind, String message, TagList.Place place) {
        problems.add(new Problem(kind, message, List.of(place.toString())));
    }

    Integer integer(String text, String column, TagList.Place place) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            add(Kind.MALFORMED, column + " '" + text + "' is not a whole number", place);
            return null;
        }
    }

    Double number(String text, String column, TagList.Place place) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Double.valueOf(text.strip());
        } catch (NumberFormatException e) {
            add(Kind.MALFORMED, column + " '" + text + "' is not a number", place);
            return null;
        }
    }

    boolean bool(String text, String column, TagList.Place place) {
        if (text == null || text.isBlank()) {
            return false;
        }
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true", "yes" -> true;
            case "0", "false", "no" -> false;
            default -> {
                add(Kind.MALFORMED, column + " '" + text + "' is not true or false (or 1 / 0)", place);
                yield false;
            }
        };
    }

    /**
     * Adds a role name to a tag's write roles, or a problem naming it when it is no role name.
     *
     * @param field the column or member, for the message
     */
    void writeRole(String name, Set<String> roles, String field, TagList.Place place) {
        WriteRoles.refuse(name).ifPresentOrElse(why -> add(Kind.MALFORMED, field + ": " + why, place),
                () -> roles.add(name));
    }
}
