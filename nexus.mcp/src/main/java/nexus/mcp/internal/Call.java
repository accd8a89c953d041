package nexus.mcp.internal;

import java.util.Map;

import nexus.core.Caller;

/**
 * One tool call as a handler sees it: who calls (the identity the HTTP request authenticated), with
 * which arguments (already checked against the tool's schema).
 */
record Call(Caller caller, String tool, Map<String, Object> args) {

    String string(String name) {
        return args.get(name) instanceof String s ? s : null;
    }

    int integer(String name, int otherwise) {
        return args.get(name) instanceof Number n ? n.intValue() : otherwise;
    }

    @SuppressWarnings("unchecked")
    java.util.List<Object> list(String name) {
        return args.get(name) instanceof java.util.List<?> l ? (java.util.List<Object>) l : java.util.List.of();
    }
}
