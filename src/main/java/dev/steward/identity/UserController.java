package dev.steward.identity;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "Users", description = "People who sign in to Steward and their roles (administrators only)")
class UserController {

    private final UserManagement users;

    UserController(UserManagement users) {
        this.users = users;
    }

    @GetMapping
    @Operation(summary = "List users")
    List<User> list() {
        return users.list();
    }

    @PostMapping
    @Operation(
            summary = "Create a user",
            description = "Without a password the user cannot sign in until one is set; passwords have at least 12"
                    + " characters. A password set here works for one sign-in, after which the user must choose"
                    + " their own before anything else.")
    ResponseEntity<User> create(@RequestBody NewUser input) {
        User user = users.create(input);
        return ResponseEntity.created(URI.create("/api/v1/users/" + user.id())).body(user);
    }

    @PatchMapping("/{id}")
    @Operation(
            summary = "Change a user's name, role, enabled status or password",
            description = "Fields left out keep their value. The last enabled administrator cannot be disabled or"
                    + " demoted. A new password ends the user's sessions and works for one sign-in, after which they"
                    + " must choose their own.")
    User change(@PathVariable UUID id, @RequestBody UserChange change) {
        return users.change(id, change);
    }
}
