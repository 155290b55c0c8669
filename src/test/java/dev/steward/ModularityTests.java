package dev.steward;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(StewardApplication.class);

    @Test
    void modulesOnlyUseEachOthersPublicApi() {
        modules.verify();
    }

    /** Refresh the committed diagrams with {@code mvn test -Dtest=ModularityTests -Dsteward.docs=docs/architecture}. */
    @Test
    void writesModuleDiagrams() {
        new Documenter(
                        modules,
                        Documenter.Options.defaults()
                                .withOutputFolder(System.getProperty("steward.docs", "target/modulith-docs")))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
    }
}
