package dev.sluice.gateway.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.config.ConfigException;
import dev.sluice.gateway.config.GatewayConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Built-in plugins load from jars like third-party ones; a broken plugin is named with its cause. */
class PluginLoadingTest {

  @Test
  void builtInPluginsLoadFromTheirPackagedJars() {
    LoadedPlugins loaded = PluginHost.create(new GatewayConfig.Plugins(TestGateway.pluginsDir(),
        GatewayConfig.PluginMode.DEPLOYMENT)).load();
    assertThat(loaded.pluginIds()).contains("openai", "demo");
    assertThat(loaded.providerFactories()).containsKeys("openai", "azure", "demo");
    assertThat(loaded.failures()).isEmpty();
  }

  @Test
  void developmentModeLoadsFromTargetClasses() {
    LoadedPlugins loaded = PluginHost.create(new GatewayConfig.Plugins(TestGateway.root().resolve("plugins"),
        GatewayConfig.PluginMode.DEVELOPMENT)).load();
    assertThat(loaded.providerFactories()).containsKeys("openai", "demo");
    assertThat(loaded.failures()).isEmpty();
  }

  @Test
  void brokenPluginsAreReportedByNameAndTheOthersStillLoad(@TempDir Path dir) throws IOException {
    try (Stream<Path> jars = Files.list(TestGateway.pluginsDir())) {
      for (Path jar : jars.filter(p -> p.getFileName().toString().startsWith("sluice-plugin-demo")).toList()) {
        Files.copy(jar, dir.resolve(jar.getFileName()));
      }
    }
    jar(dir.resolve("missing-class.jar"), "broken-plugin", "com.example.NoSuchPlugin", null);
    jar(dir.resolve("bad-extension.jar"), "bad-extension", null, "com.example.NoSuchExtension");
    Files.writeString(dir.resolve("not-a-plugin.jar"), "this is not a zip file");

    LoadedPlugins loaded = PluginHost.create(new GatewayConfig.Plugins(dir, GatewayConfig.PluginMode.DEPLOYMENT)).load();
    assertThat(loaded.providerFactories()).containsKey("demo");
    assertThat(loaded.failures()).extracting(LoadedPlugins.Failure::toString)
        .anySatisfy(f -> assertThat(f).contains("broken-plugin").contains("NoSuchPlugin"))
        .anySatisfy(f -> assertThat(f).contains("not-a-plugin.jar"));

    try (TestGateway gateway = startWith(dir)) {
      assertThat(gateway.post("/v1/chat/completions",
          "{\"model\":\"d\",\"messages\":[{\"role\":\"user\",\"content\":\"still works?\"}]}").statusCode()).isEqualTo(200);
      assertThat(gateway.get("/health/ready").body()).contains("broken-plugin");
    }
  }

  @Test
  void aProviderTypeNoPluginServesIsAConfigErrorNamingThePath() {
    assertThatThrownBy(() -> TestGateway.start("""
        providers: [{id: x, type: antropic}]
        models: [{name: m, deployments: [{provider: x}]}]
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("providers[0].type: invalid value 'antropic': no loaded plugin serves this type")
        .hasMessageContaining("openai");
  }

  @Test
  void aPluginsSettingErrorNamesThePathAndValue() {
    assertThatThrownBy(() -> TestGateway.start("""
        providers: [{id: x, type: openai, base_url: "not a url"}]
        models: [{name: m, deployments: [{provider: x}]}]
        """)).isInstanceOf(ConfigException.class).hasMessageContaining("providers[0].base_url")
        .hasMessageContaining("not a url");
  }

  private static TestGateway startWith(Path pluginsDir) {
    String yaml = """
        providers: [{id: sim, type: demo}]
        models: [{name: d, deployments: [{provider: sim}]}]
        """;
    // Same harness, other plugins directory.
    String previous = System.getProperty("sluice.plugins.dir");
    System.setProperty("sluice.plugins.dir", pluginsDir.toString());
    try {
      return TestGateway.start(yaml);
    } finally {
      if (previous == null) System.clearProperty("sluice.plugins.dir");
      else System.setProperty("sluice.plugins.dir", previous);
    }
  }

  private static void jar(Path path, String id, String pluginClass, String extension) throws IOException {
    Manifest manifest = new Manifest();
    Attributes a = manifest.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Plugin-Id", id);
    a.putValue("Plugin-Version", "1.0.0");
    if (pluginClass != null) a.putValue("Plugin-Class", pluginClass);
    try (OutputStream out = Files.newOutputStream(path); JarOutputStream jar = new JarOutputStream(out, manifest)) {
      if (extension != null) {
        jar.putNextEntry(new JarEntry("META-INF/extensions.idx"));
        jar.write((extension + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        jar.closeEntry();
      }
    }
  }
}
