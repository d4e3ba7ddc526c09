package dev.sluice.gateway.redact;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/** Logback's {@code %ex}: stack traces with their messages redacted ({@code logback.xml} mounts it). */
public final class RedactingThrowableConverter extends ThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy proxy) {
    return Redactor.active().scrub(super.throwableProxyToString(proxy));
  }
}
