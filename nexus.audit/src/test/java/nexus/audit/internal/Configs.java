package nexus.audit.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** An {@link AuditConfig} as Config Admin would give it: the defaults, with some keys set. */
final class Configs {

    private Configs() {
    }

    /** @param values by method name ({@code files_keep}), as the typed config sees them */
    static AuditConfig audit(Map<String, Object> values) {
        return (AuditConfig) Proxy.newProxyInstance(AuditConfig.class.getClassLoader(),
                new Class<?>[] { AuditConfig.class }, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return AuditConfig.class;
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "AuditConfig" + values
                                : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : proxy == args[0];
                    }
                    return values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }
}
