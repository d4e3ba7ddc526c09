package dev.sluice.plugins.bedrock;

import org.pf4j.Plugin;

/** The {@code bedrock} plugin: AWS Bedrock's Converse API, served by {@link BedrockProviderFactory}. */
public final class BedrockPlugin extends Plugin {
  public BedrockPlugin() {
    super();
  }
}
