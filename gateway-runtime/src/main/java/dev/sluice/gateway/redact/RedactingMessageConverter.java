package dev.sluice.gateway.redact;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Logback's {@code %msg}, every secret and credential-shaped string redacted ({@code logback.xml} mounts it). */
public final class RedactingMessageConverter extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return Redactor.active().scrub(super.convert(event));
  }
}
