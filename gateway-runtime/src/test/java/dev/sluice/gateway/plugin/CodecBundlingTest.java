package dev.sluice.gateway.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.ChatStream;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.gateway.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.RuntimeMode;

/**
 * The OpenAI codec and the provider kit are not part of the plugin API: the openai plugin carries its own copy of
 * the codec, and every provider plugin its own copy of the kit (shaded into its jar, or in development mode from its
 * target/lib), which PF4J loads before the gateway's, while the canonical model and the SPI still come from the
 * gateway's plugin-api.
 */
class CodecBundlingTest {
  private static final String CODEC = "dev.sluice.wire.openai.OpenAiRequests";
  private static final String KIT = "dev.sluice.kit.ChatStreams";
  private static final List<String> PROVIDER_PLUGINS = List.of("openai", "anthropic", "gemini", "bedrock", "demo");

  @Test
  void thePackagedPluginRunsOnTheCodecInsideItsJar(@TempDir Path dir) throws IOException {
    Path jar;
    try (Stream<Path> jars = Files.list(TestGateway.pluginsDir())) {
      jar = jars.filter(p -> p.getFileName().toString().startsWith("sluice-plugin-openai")).findFirst().orElseThrow();
    }
    assertCodecIsThePlugins(started(Files.copy(jar, dir.resolve(jar.getFileName())), RuntimeMode.DEPLOYMENT));
  }

  @Test
  void everyPackagedProviderPluginRunsOnTheKitInsideItsJar(@TempDir Path dir) throws IOException {
    for (String id : PROVIDER_PLUGINS) {
      Path jar;
      try (Stream<Path> jars = Files.list(TestGateway.pluginsDir())) {
        jar = jars.filter(p -> p.getFileName().toString().startsWith("sluice-plugin-" + id + "-")).findFirst()
            .orElseThrow(() -> new AssertionError("no packaged " + id + " plugin: ./mvnw install first"));
      }
      Path copy = Files.createDirectories(dir.resolve(id)).resolve(jar.getFileName());
      assertKitIsThePlugins(started(Files.copy(jar, copy), RuntimeMode.DEPLOYMENT), id);
    }
  }

  @Test
  void developmentModeReadsTheCodecFromThePluginsLibraries() throws IOException {
    Path plugin = TestGateway.root().resolve("plugins/openai");
    try (Stream<Path> libs = Files.list(plugin.resolve("target/lib"))) {
      assertThat(libs.map(p -> p.getFileName().toString()).toList())
          .anySatisfy(name -> assertThat(name).startsWith("sluice-openai-wire"))
          .anySatisfy(name -> assertThat(name).startsWith("sluice-provider-kit"))
          .noneSatisfy(name -> assertThat(name).startsWith("sluice-plugin-api"));
    }
    assertCodecIsThePlugins(started(plugin, RuntimeMode.DEVELOPMENT));
    assertKitIsThePlugins(started(plugin, RuntimeMode.DEVELOPMENT), "openai");
  }

  /** A plugin manager with only {@code plugin} (a jar, or a plugin's folder in development mode) started. */
  private static PluginManager started(Path plugin, RuntimeMode mode) {
    PluginManager manager = new DefaultPluginManager(plugin.getParent()) {
      @Override
      public RuntimeMode getRuntimeMode() {
        return mode;
      }
    };
    manager.setSystemVersion(PluginHost.SYSTEM_VERSION);
    assertThat(manager.startPlugin(manager.loadPlugin(plugin))).isEqualTo(PluginState.STARTED);
    return manager;
  }

  private static void assertKitIsThePlugins(PluginManager manager, String id) {
    try {
      ClassLoader plugin = manager.getPluginClassLoader(id);
      assertThat(plugin.loadClass(KIT).getClassLoader()).as("%s's own copy of the kit", id).isSameAs(plugin)
          .isNotSameAs(CodecBundlingTest.class.getClassLoader());
      assertThat(plugin.loadClass(ChatStream.class.getName())).as("the SPI is the gateway's").isSameAs(ChatStream.class);
      assertThat(manager.getExtensionClasses(dev.sluice.api.ProviderFactory.class, id)).as(id).isNotEmpty();
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    } finally {
      List.copyOf(manager.getPlugins()).forEach(p -> manager.unloadPlugin(p.getPluginId()));
    }
  }

  private static void assertCodecIsThePlugins(PluginManager manager) {
    try {
      ClassLoader plugin = manager.getPluginClassLoader("openai");
      Class<?> codec = plugin.loadClass(CODEC);
      assertThat(codec.getClassLoader()).as("the plugin's own copy").isSameAs(plugin)
          .isNotSameAs(CodecBundlingTest.class.getClassLoader());
      assertThat(plugin.loadClass(ChatRequest.class.getName())).as("the model is the gateway's")
          .isSameAs(ChatRequest.class);
      assertThat(manager.getExtensionClasses(dev.sluice.api.ProviderFactory.class, "openai")).isNotEmpty();
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    } finally {
      List.copyOf(manager.getPlugins()).forEach(p -> manager.unloadPlugin(p.getPluginId()));
    }
  }
}
