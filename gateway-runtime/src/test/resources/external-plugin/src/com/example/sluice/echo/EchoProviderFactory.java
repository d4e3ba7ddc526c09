package com.example.sluice.echo;

import dev.sluice.api.PluginContext;
import dev.sluice.api.Provider;
import dev.sluice.api.ProviderFactory;
import dev.sluice.api.ProviderSettings;
import java.time.Duration;
import java.util.List;
import org.pf4j.Extension;

/** Serves {@code type: echo}. Settings: {@code prefix} (default "echo: "), {@code pace} (gap between streamed words). */
@Extension
public final class EchoProviderFactory implements ProviderFactory {

  @Override
  public String type() {
    return "echo";
  }

  @Override
  public Provider create(ProviderSettings settings, PluginContext context) {
    settings.allowOnly(List.of("prefix", "pace"));            // an unknown key fails with its path
    String prefix = settings.string("prefix", "echo: ");       // a non-string fails with path and value
    Duration pace = settings.duration("pace", Duration.ZERO);
    if (pace.isNegative()) throw settings.invalid("pace", "a duration of zero or more");
    return new EchoProvider(context.vertx(), prefix, pace);
  }
}
