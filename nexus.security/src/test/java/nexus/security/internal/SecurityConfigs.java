package nexus.security.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A {@link SecurityConfig} as Config Admin would give it: the defaults, with some keys set. */
final class SecurityConfigs {

    private SecurityConfigs() {
    }

    /** @param values by method name ({@code anonymous_role}), as the typed config sees them */
    static SecurityConfig security(Map<String, Object> values) {
        return (SecurityConfig) Proxy.newProxyInstance(SecurityConfig.class.getClassLoader(),
                new Class<?>[] { SecurityConfig.class }, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return SecurityConfig.class;
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "SecurityConfig" + values
                                : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : proxy == args[0];
                    }
                    return values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }

    static SecurityConfig defaults() {
        return security(Map.of());
    }
}
