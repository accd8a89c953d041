package nexus.api.http.internal;

import java.io.IOException;

import nexus.core.Access;
import nexus.core.Permission;

/**
 * {@code GET /api/v1/me}: who the request is and what it may do, for clients that show it (the web
 * console's header, its buttons enabled or not): the user, the roles, the permissions' wire names,
 * the read and write scopes, and whether the node is open (no identities yet: every local client is
 * the admin {@code anonymous}, and there is nothing to log out of). It tells the caller only about
 * itself.
 */
final class MeRoute {

    private MeRoute() {
    }

    static void serve(ApiServlet api, ApiRoutes.Exchange exchange) throws IOException {
        Requester requester = exchange.requester();
        Access access = requester.access();
        Http.json(exchange.request(), exchange.response(), 200, json -> {
            json.writeStartObject();
            json.writeStringField("user", requester.caller().user());
            json.writeArrayFieldStart("roles");
            for (String role : access.roles()) {
                json.writeString(role);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("permissions");
            for (Permission permission : Permission.values()) {
                if (access.may(permission)) {
                    json.writeString(permission.wireName());
                }
            }
            json.writeEndArray();
            json.writeObjectFieldStart("scopes");
            json.writeObjectField("read", access.read().globs());
            json.writeObjectField("write", access.write().globs());
            json.writeEndObject();
            json.writeNumberField("maxRows", access.maxRows());
            json.writeBooleanField("open", requester.authenticator().open());
            json.writeEndObject();
        });
    }
}
