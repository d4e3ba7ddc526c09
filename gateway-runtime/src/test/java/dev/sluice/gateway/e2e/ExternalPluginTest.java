package dev.sluice.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.sluice.api.ProviderFactory;
import dev.sluice.gateway.Gateway;
import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.config.ConfigException;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.kit.ChatStreams;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The recipe of docs/provider-plugins.md, followed outside the Maven build: a third party's provider plugin
 * (src/test/resources/external-plugin: three classes and a MANIFEST) is compiled here with javac against the
 * plugin-api, provider-kit, vertx-core and pf4j jars only, PF4J's annotation processor writing
 * META-INF/extensions.idx; the kit's classes go into the plugin's jar (as maven-shade puts them into the built-in
 * providers'), and the jar goes into a fresh plugins folder beside a copy of the built-in anthropic plugin, and a gateway started on that
 * folder serves chat requests with the new provider type.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExternalPluginTest {
  private Path work;
  private Path plugins;
  private Vertx vertx;
  private Gateway gateway;

  @BeforeAll
  void buildThePluginAndStartAGatewayOnIt() throws Exception {
    work = Files.createTempDirectory("sluice-external-plugin");
    Path classes = compile(resource("external-plugin/src"), work.resolve("classes"));
    bundleTheKit(classes);
    plugins = Files.createDirectories(work.resolve("plugins"));
    jar(classes, resource("external-plugin/MANIFEST.MF"), plugins.resolve("echo-example-1.0.0.jar"));
    try (Stream<Path> builtIn = Files.list(TestGateway.pluginsDir())) {
      Path anthropic = builtIn.filter(p -> p.getFileName().toString().startsWith("sluice-plugin-anthropic-"))
          .findFirst().orElseThrow(() -> new AssertionError("build the plugins first: ./mvnw package"));
      Files.copy(anthropic, plugins.resolve(anthropic.getFileName()));
    }
    vertx = Vertx.vertx();
    gateway = TestGateway.await(Gateway.start(vertx, config("""
        providers:
          - {id: parrot, type: echo, prefix: "you said: "}
        models:
          - {name: parrot-1, deployments: [{provider: parrot}]}
        """)));
  }

  @AfterAll
  void stop() throws IOException {
    if (gateway != null) TestGateway.await(gateway.stop());
    if (vertx != null) TestGateway.await(vertx.close());
    if (work != null) {
      try (Stream<Path> all = Files.walk(work)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void theAnnotationProcessorIndexedTheExtension() throws IOException {
    Path index = work.resolve("classes/META-INF/extensions.idx");
    assertThat(index).exists();
    assertThat(Files.readAllLines(index)).contains("com.example.sluice.echo.EchoProviderFactory");
    assertThat(work.resolve("classes/dev/sluice/kit/ChatStreams.class")).as("the kit travels in the jar").exists();
  }

  @Test
  void theGatewayLoadsTheJarThroughPf4jLikeABuiltInOne() {
    assertThat(gateway.plugins().failures()).isEmpty();
    assertThat(gateway.plugins().pluginIds()).containsExactlyInAnyOrder("echo-example", "anthropic");
    assertThat(gateway.plugins().providerFactories()).containsKey("echo");
    // Only the jar holds it: the test's own classpath does not.
    assertThatThrownBy(() -> Class.forName("com.example.sluice.echo.EchoProviderFactory"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void theNewProviderServesChatAndStreamsThroughTheOpenAiSdk() {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
        .apiKey(TestGateway.MASTER_KEY).maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    try {
      ChatCompletionCreateParams.Builder ask = ChatCompletionCreateParams.builder().model("parrot-1")
          .addUserMessage("hello from a third party");
      ChatCompletion plain = client.chat().completions().create(ask.build());
      assertThat(plain.choices().get(0).message().content()).hasValue("you said: hello from a third party");
      assertThat(plain.usage().orElseThrow().completionTokens()).isEqualTo(7);

      StringBuilder text = new StringBuilder();
      List<ChatCompletionChunk> chunks = new ArrayList<>();
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask
          .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
        stream.stream().forEach(c -> {
          chunks.add(c);
          c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
        });
      }
      assertThat(text.toString()).isEqualTo("you said: hello from a third party");
      assertThat(chunks.size()).isGreaterThan(7);
      assertThat(chunks.get(chunks.size() - 1).usage()).hasValueSatisfying(u ->
          assertThat(u.completionTokens()).isEqualTo(7));
    } finally {
      client.close();
    }
  }

  @Test
  void anthropicClientsReachTheNewProviderThroughTheBuiltInIngress() {
    AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl("http://127.0.0.1:" + gateway.port())
        .apiKey(TestGateway.MASTER_KEY).maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    try {
      Message message = client.messages().create(MessageCreateParams.builder().model("parrot-1").maxTokens(64)
          .addUserMessage("bonjour").build());
      assertThat(message.content().get(0).asText().text()).isEqualTo("you said: bonjour");
    } finally {
      client.close();
    }
  }

  @Test
  void thePluginsSettingsAreValidatedWithPathAndValue() {
    assertThatThrownBy(() -> TestGateway.await(Gateway.start(vertx, config("""
        providers:
          - {id: parrot, type: echo, prefix: 5}
          - {id: other, type: echo, colour: blue}
        models:
          - {name: parrot-1, deployments: [{provider: parrot}]}
        """)))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("providers[0].prefix").hasMessageContaining("5")
        .hasMessageContaining("providers[1].colour");
  }

  // ---- the build, by hand ----

  private GatewayConfig config(String yaml) {
    String full = "server: {port: 0, master_key: " + TestGateway.MASTER_KEY + ", event_loops: 1, drain_timeout: 5s}\n"
        + "plugins: {dir: \"" + plugins + "\"}\n" + yaml;
    return ConfigLoader.parse(full, "external-plugin.yaml", Map.<String, String>of()::get, TestGateway.root());
  }

  /**
   * javac with PF4J's annotation processor, against the jars a plugin author has: plugin-api, provider-kit,
   * vertx-core, pf4j.
   */
  private static Path compile(Path sources, Path out) throws IOException {
    Files.createDirectories(out);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    String classpath = Stream.of(ProviderFactory.class, ChatStreams.class, io.vertx.core.Vertx.class,
            org.pf4j.Extension.class, org.slf4j.Logger.class, io.netty.buffer.ByteBuf.class, com.fasterxml.jackson.core.JsonFactory.class)
        .map(ExternalPluginTest::jarOf).distinct().collect(Collectors.joining(java.io.File.pathSeparator));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac).as("a JDK (not a JRE) runs the tests").isNotNull();
    StringWriter diagnostics = new StringWriter();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      // -processor names PF4J's processor explicitly: JDK 23+ no longer runs processors found on the classpath.
      List<String> options = List.of("--release", "17", "-classpath", classpath, "-d", out.toString(),
          "-processor", "org.pf4j.processor.ExtensionAnnotationProcessor", "-Xlint:all,-processing");
      boolean ok = javac.getTask(diagnostics, fm, null, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
      assertThat(ok).as("javac: " + diagnostics).isTrue();
    }
    return out;
  }

  /** The kit's classes into the plugin's, from its jar (or its classes folder in a reactor build). */
  private static void bundleTheKit(Path classes) throws IOException {
    Path kit = Path.of(jarOf(ChatStreams.class));
    if (Files.isDirectory(kit)) {
      copyKit(kit, classes);
    } else {
      try (FileSystem zip = FileSystems.newFileSystem(kit)) {
        copyKit(zip.getPath("/"), classes);
      }
    }
  }

  private static void copyKit(Path from, Path classes) throws IOException {
    Path kitPackage = from.resolve("dev/sluice/kit");
    try (Stream<Path> walk = Files.walk(kitPackage)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        Path target = classes.resolve(from.relativize(f).toString());
        Files.createDirectories(target.getParent());
        Files.copy(f, target);
      }
    }
  }

  private static String jarOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void jar(Path classes, Path manifestFile, Path jar) throws IOException {
    Manifest manifest;
    try (InputStream in = Files.newInputStream(manifestFile)) {
      manifest = new Manifest(in);
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(classes)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, manifest)) {
      for (Path f : files) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(java.io.File.separatorChar, '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(ExternalPluginTest.class.getClassLoader().getResource(name).toURI());
  }
}
