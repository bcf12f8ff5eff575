package io.tollgate.marketplace.identity;

import io.tollgate.marketplace.problem.ApiProblem;
import io.tollgate.marketplace.problem.ProblemType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Sign-In with Ethereum: a nonce, then a signed EIP-4361 message for a short-lived bearer token. */
@RestController
class IdentityController {
    private final SignIn signIn;

    IdentityController(SignIn signIn) {
        this.signIn = signIn;
    }

    record SignInRequest(
            @NotBlank @Size(max = 4096) String message,
            @NotBlank @Size(max = 140) String signature) {}

    record Me(String address, List<String> roles) {}

    @PostMapping("/api/auth/nonce")
    SignIn.Nonce nonce() {
        return signIn.nonce();
    }

    @PostMapping("/api/auth/sign-in")
    SignIn.Outcome.SignedIn signIn(@Valid @RequestBody SignInRequest request) {
        return switch (signIn.signIn(request.message(), request.signature())) {
            case SignIn.Outcome.SignedIn signedIn -> signedIn;
            case SignIn.Outcome.Refused refused ->
                throw new ApiProblem(ProblemType.UNAUTHENTICATED, refused.reason(), Map.of());
        };
    }

    @GetMapping("/api/me")
    Me me(@AuthenticationPrincipal Jwt token) {
        return new Me(token.getSubject(), token.getClaimAsStringList("roles"));
    }
}
