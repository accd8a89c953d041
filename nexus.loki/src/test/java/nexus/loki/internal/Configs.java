package nexus.loki.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A {@link LokiConfig} as Config Admin would give it: the defaults, with some keys set. */
final class Configs {

    private Configs() {
    }

    /** @param values by method name ({@code batch_size}), as the typed config sees them */
    static LokiConfig loki(Map<String, Object> values) {
        return (LokiConfig) Proxy.newProxyInstance(LokiConfig.class.getClassLoader(), new Class<?>[] { LokiConfig.class },
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return LokiConfig.class;
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "LokiConfig" + values
                                : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : proxy == args[0];
                    }
                    return values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }

    static LokiSettings settings(Map<String, Object> values) {
        return LokiSettings.from(loki(values), "/tmp", "testhost");
    }
}
