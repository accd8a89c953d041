package nexus.mcp.internal;

import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.util.DefaultMcpUriTemplateManagerFactory;
import io.modelcontextprotocol.util.McpUriTemplateManager;
import io.modelcontextprotocol.util.McpUriTemplateManagerFactory;

/**
 * URI templates whose last variable is a reserved expansion ({@code {+prefix}}, RFC 6570 §3.2.3): it
 * takes the rest of the URI, slashes included, as tag path prefixes need. The SDK's own templates
 * match one segment per variable; any other template is left to them.
 */
final class PathTemplates implements McpUriTemplateManagerFactory {

    private final McpUriTemplateManagerFactory others = new DefaultMcpUriTemplateManagerFactory();

    @Override
    public McpUriTemplateManager create(String template) {
        int open = template.indexOf("{+");
        if (open < 0 || !template.endsWith("}") || template.indexOf('{') != open) {
            return others.create(template);
        }
        String base = template.substring(0, open);
        String name = template.substring(open + 2, template.length() - 1);
        return new McpUriTemplateManager() {
            @Override
            public List<String> getVariableNames() {
                return List.of(name);
            }

            @Override
            public Map<String, String> extractVariableValues(String uri) {
                return matches(uri) ? Map.of(name, uri.substring(base.length())) : Map.of();
            }

            @Override
            public boolean matches(String uri) {
                return uri != null && uri.startsWith(base);
            }

            @Override
            public boolean isUriTemplate(String uri) {
                return uri != null && uri.contains("{");
            }
        };
    }
}
