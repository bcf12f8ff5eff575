package io.tollgate.marketplace.problem;

import io.tollgate.protocol.Problem;
import org.springframework.http.HttpStatus;

/**
 * The marketplace's RFC 9457 problem types: its part of the protocol's one catalogue ({@link Problem}, where slug,
 * title and status are written). Clients branch on the type URI ({@code {base}/<slug>}), never on the message
 * text; the title is fixed per type.
 */
public enum ProblemType {
    NOT_FOUND(Problem.NOT_FOUND),
    INVALID_REQUEST(Problem.INVALID_REQUEST),
    MALFORMED_REQUEST(Problem.MALFORMED_REQUEST),
    METHOD_NOT_ALLOWED(Problem.METHOD_NOT_ALLOWED),
    UNSUPPORTED_MEDIA_TYPE(Problem.UNSUPPORTED_MEDIA_TYPE),
    NOT_ACCEPTABLE(Problem.NOT_ACCEPTABLE),
    UNAUTHENTICATED(Problem.UNAUTHENTICATED),
    FORBIDDEN(Problem.FORBIDDEN),
    CONFLICT(Problem.CONFLICT),
    TOKEN_NOT_ERC20(Problem.TOKEN_NOT_ERC20),
    UPGRADE_CONSENT_REFUSED(Problem.UPGRADE_CONSENT_REFUSED),
    UPGRADE_OFFER_ENDED(Problem.UPGRADE_OFFER_ENDED),
    PERMIT_REFUSED(Problem.PERMIT_REFUSED),
    CHANNEL_NOT_SUBSCRIBED(Problem.SUBSCRIPTION_NOT_FOUND),
    INTERNAL(Problem.INTERNAL);

    private final Problem problem;

    ProblemType(Problem problem) {
        if (problem.service() != Problem.Service.MARKETPLACE) {
            throw new IllegalArgumentException(problem + " is not the marketplace's");
        }
        this.problem = problem;
    }

    /** The catalogue's entry. */
    public Problem problem() {
        return problem;
    }

    public String slug() {
        return problem.slug();
    }

    public String title() {
        return problem.title();
    }

    public HttpStatus status() {
        return HttpStatus.valueOf(problem.status());
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
