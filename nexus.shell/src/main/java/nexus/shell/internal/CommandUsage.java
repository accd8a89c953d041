package nexus.shell.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.felix.service.command.Descriptor;

/**
 * The usage of Gogo commands, read from the {@link Descriptor}s of their methods (or asked of a
 * {@link Described} command): one line per form, {@code name <what> <what>   what it does}. Plain Java, so the help and the console's
 * answer to wrong arguments say the same thing.
 */
final class CommandUsage {

    /** One command object and the functions it is registered for. */
    record Commands(Object target, Collection<String> functions) {
    }

    /**
     * A command that says its own usage: one that is not a set of described methods, such as a Gogo
     * {@link org.apache.felix.service.command.Function} made from data.
     */
    interface Described {
        /** @return one entry per form: {@code name <what> <what>}, a line break, six spaces and what it does */
        List<String> usage();
    }

    private CommandUsage() {
    }

    /** @return usage lines by function name, sorted; functions without described methods are left out */
    static Map<String, List<String>> of(Collection<Commands> commands) {
        Map<String, List<String>> usage = new TreeMap<>();
        for (Commands command : commands) {
            for (String function : command.functions()) {
                List<String> lines = command.target() instanceof Described described ? described.usage()
                        : forms(command.target().getClass(), function);
                if (!lines.isEmpty()) {
                    usage.computeIfAbsent(function, f -> new ArrayList<>()).addAll(lines);
                }
            }
        }
        return usage;
    }

    /** @return the usage of one function, one line per form (Gogo calls {@code _import} for {@code import}) */
    static List<String> forms(Class<?> type, String function) {
        List<Method> methods = new ArrayList<>();
        for (Method method : type.getMethods()) {
            if (Modifier.isPublic(method.getModifiers()) && method.isAnnotationPresent(Descriptor.class)
                    && (method.getName().equals(function) || method.getName().equals("_" + function))) {
                methods.add(method);
            }
        }
        methods.sort(Comparator.comparingInt(Method::getParameterCount));
        List<String> lines = new ArrayList<>();
        for (Method method : methods) {
            StringBuilder line = new StringBuilder(function);
            Annotation[][] annotations = method.getParameterAnnotations();
            for (int i = 0; i < method.getParameterCount(); i++) {
                line.append(" <").append(parameter(annotations[i], method.getParameterTypes()[i])).append('>');
            }
            lines.add(line + "\n      " + method.getAnnotation(Descriptor.class).value());
        }
        return lines;
    }

    private static String parameter(Annotation[] annotations, Class<?> type) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof Descriptor descriptor) {
                return descriptor.value();
            }
        }
        return type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return the text of a whole help page */
    static String page(Map<String, List<String>> usage) {
        StringBuilder text = new StringBuilder("RMA Nexus commands (scope nexus; 'felix:help' lists the framework's).\n"
                + "Quote a value with spaces or parentheses: write process 64 'STRING(16)' \"pump 7\"\n");
        usage.forEach((function, lines) -> lines.forEach(line -> text.append("  ").append(line).append('\n')));
        return text.toString().stripTrailing();
    }
}
