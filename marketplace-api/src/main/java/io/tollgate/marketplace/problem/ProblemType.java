package io.tollgate.marketplace.problem;

import org.springframework.http.HttpStatus;

/**
 * The marketplace's catalogue of RFC 9457 problem types. Clients branch on the type URI
 * ({@code {base}/<slug>}), never on the message text; the title is fixed per type.
 */
public enum ProblemType {
    NOT_FOUND("not-found", "Not found", HttpStatus.NOT_FOUND),
    INVALID_REQUEST("invalid-request", "Invalid request", HttpStatus.BAD_REQUEST),
    MALFORMED_REQUEST("malformed-request", "Malformed request", HttpStatus.BAD_REQUEST),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", HttpStatus.METHOD_NOT_ALLOWED),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", HttpStatus.UNSUPPORTED_MEDIA_TYPE),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", HttpStatus.NOT_ACCEPTABLE),
    UNAUTHENTICATED("unauthenticated", "Sign in first", HttpStatus.UNAUTHORIZED),
    FORBIDDEN("forbidden", "Not yours", HttpStatus.FORBIDDEN),
    CONFLICT("conflict", "Conflict", HttpStatus.CONFLICT),
    UPGRADE_CONSENT_REFUSED("upgrade-consent-refused", "Upgrade consent refused", HttpStatus.UNPROCESSABLE_CONTENT),
    UPGRADE_OFFER_ENDED("upgrade-offer-ended", "Upgrade offer ended", HttpStatus.CONFLICT),
    CHANNEL_NOT_SUBSCRIBED("channel-not-subscribed", "Channel not subscribed", HttpStatus.NOT_FOUND),
    INTERNAL("internal-error", "Internal error", HttpStatus.INTERNAL_SERVER_ERROR);

    private final String slug;
    private final String title;
    private final HttpStatus status;

    ProblemType(String slug, String title, HttpStatus status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public HttpStatus status() {
        return status;
    }

    /** The type for a status the framework produced on its own. */
    public static ProblemType forStatus(int status) {
        return switch (status) {
            case 400 -> INVALID_REQUEST;
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            default -> INTERNAL;
        };
    }
}
