package dev.steward.identity;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Describes the REST API and its API-key authentication, so the Swagger UI's "Authorize" button takes a key. */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    @Bean
    OpenAPI stewardApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Steward API")
                        .version("v1")
                        .description("Customer accounts, contacts, contracts, activity and usage. Errors are RFC 9457"
                                + " problem details; lists use cursor paging; updates need If-Match.")
                        .license(new License().name("Apache-2.0").url("https://www.apache.org/licenses/LICENSE-2.0")))
                .components(new Components()
                        .addSecuritySchemes(
                                "apiKey",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description("An API key (stw_…) created on the API keys page")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }
}
