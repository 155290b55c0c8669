package dev.steward;

import dev.steward.core.SubCommands;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.modulith.Modulithic;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Steward, an open-source customer success platform: the server and its command-line sub-commands. */
@SpringBootApplication
@EnableScheduling
@EnableAsync
@Modulithic(sharedModules = "core")
public class StewardApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(StewardApplication.class);
        SubCommands.configure(application, args);
        application.run(args);
    }
}
