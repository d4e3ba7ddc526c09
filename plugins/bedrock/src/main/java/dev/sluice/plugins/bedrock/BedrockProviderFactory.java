package dev.sluice.plugins.bedrock;

import dev.sluice.api.PluginContext;
import dev.sluice.api.Provider;
import dev.sluice.api.ProviderFactory;
import dev.sluice.api.ProviderSettings;
import java.util.Map;
import java.util.function.Function;
import org.pf4j.Extension;

/**
 * {@code type: bedrock}: chat through AWS Bedrock's Converse and ConverseStream APIs, embeddings through
 * InvokeModel (Titan and Cohere). See {@link BedrockSettings} for the settings. Credentials and region are
 * resolved here, once, so no request ever looks them up.
 */
@Extension
public final class BedrockProviderFactory implements ProviderFactory {
  public static final String TYPE = "bedrock";

  private final Function<String, String> env;

  public BedrockProviderFactory() {
    this(System::getenv);
  }

  /** For tests: {@code env} stands in for the process environment. */
  BedrockProviderFactory(Map<String, String> env) {
    this(env::get);
  }

  private BedrockProviderFactory(Function<String, String> env) {
    this.env = env;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Provider create(ProviderSettings settings, PluginContext context) {
    return new BedrockProvider(settings.id(), BedrockSettings.from(settings, env), context.vertx());
  }
}
