package nexus.security.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** A {@link JwtConfig} as Config Admin would give it: the defaults, with some keys set. */
final class JwtConfigs {

    private JwtConfigs() {
    }

    /** @param values by method name ({@code jwks_url}), as the typed config sees them */
    static JwtConfig jwt(Map<String, Object> values) {
        return (JwtConfig) Proxy.newProxyInstance(JwtConfig.class.getClassLoader(), new Class<?>[] { JwtConfig.class },
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return JwtConfig.class;
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "JwtConfig" + values
                                : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : proxy == args[0];
                    }
                    return values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }

    /** @return the stand-in identity provider's issuer and audience, keys from {@code jwksUrl}, and {@code more} */
    static JwtConfig forIdp(String jwksUrl, Map<String, Object> more) {
        Map<String, Object> values = new HashMap<>(Map.of("issuer", StandInIdp.ISSUER, "audience", StandInIdp.AUDIENCE,
                "jwks_url", jwksUrl));
        values.putAll(more);
        return jwt(values);
    }
}
