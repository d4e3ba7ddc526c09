package dev.sluice.plugins.anthropic;

import org.pf4j.Plugin;

/**
 * The Anthropic plugin: {@link AnthropicProviderFactory} calls Anthropic's Messages API, and
 * {@link AnthropicIngress} serves {@code POST /v1/messages} so Anthropic SDK clients reach any provider.
 */
public final class AnthropicPlugin extends Plugin {
}
