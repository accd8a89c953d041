package nexus.security.internal;

/**
 * Why an authentication failed: the {@code reason} label of {@code nexus_auth_failures_total}. All
 * but {@link #MISSING}, {@link #STORE_DAMAGED} and {@link #JWT_UNVERIFIABLE} count towards slowing the address down: a request
 * without credentials guesses nothing, and a damaged token store is the node's fault, not the
 * client's (slowing its address would also lock out JWTs from it, which keep working then), and
 * so is an issuer whose keys cannot be fetched (the JWTs keep being refused with 401 until they are).
 */
enum AuthFailure {
    /** No credentials, and no anonymous role configured. */
    MISSING("missing", false),
    /** An {@code Authorization} header that is not {@code Bearer <token>}, or a token of the wrong shape. */
    MALFORMED("malformed", true),
    /** An API token of the right shape that the store does not hold (never created, or revoked). */
    UNKNOWN_TOKEN("unknown_token", true),
    /** An API token while the token store is damaged: every token is refused then. */
    STORE_DAMAGED("store_damaged", false),
    /** A JWT while no issuer is configured. */
    JWT_NOT_ACCEPTED("jwt_not_accepted", true),
    /** A JWT the issuer's check refused (signature, issuer, audience, times, key id). */
    JWT_REFUSED("jwt_refused", true),
    /** A JWT while the check cannot verify any (its configuration is refused, or no keys are held): the node's fault. */
    JWT_UNVERIFIABLE("jwt_unverifiable", false),
    /** A stream ticket that is unknown, used, expired, another identity's or no longer current. */
    TICKET_REFUSED("ticket_refused", true);

    private final String label;
    private final boolean throttles;

    AuthFailure(String label, boolean throttles) {
        this.label = label;
        this.throttles = throttles;
    }

    /** @return the metric label */
    String label() {
        return label;
    }

    /** @return whether the failure counts towards slowing its address down */
    boolean throttles() {
        return throttles;
    }
}
