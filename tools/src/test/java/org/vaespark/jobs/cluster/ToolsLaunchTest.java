package org.vaespark.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.vaespark.core.testing.SharedData;
import picocli.CommandLine;

/** The tools' side of LaunchCatalogTest: submit/standalone-cluster.sh launches tools.main.cluster from tools.jar. */
class ToolsLaunchTest {
    private static final Path ROOT = SharedData.projectRoot();

    @Test
    void theClusterScriptLaunchesThisModulesCli() throws Exception {
        LaunchSettings launch = LaunchSettings.read(ROOT);
        String cli = launch.properties().getProperty("tools.main.cluster");
        assertEquals(ClusterCli.class.getName(), cli);
        assertTrue(Modifier.isStatic(Class.forName(cli).getMethod("main", String[].class).getModifiers()));
        assertEquals("tools/target/vae-tools.jar", launch.properties().getProperty("tools.jar"));
        String script = Files.readString(ROOT.resolve("submit/standalone-cluster.sh"));
        assertTrue(script.contains("prop tools.jar") && script.contains("prop tools.main.cluster"), "standalone-cluster.sh must read tools.*");
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new ClusterCli()).setOut(new PrintWriter(out));
        assertEquals(0, cmd.execute("--help"));
        for (String sub : new String[]{"start", "stop", "status", "submit"}) {
            assertTrue(out.toString().contains(sub), out.toString());
        }
    }
}
