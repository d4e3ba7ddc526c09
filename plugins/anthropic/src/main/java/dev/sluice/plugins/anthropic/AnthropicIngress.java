package dev.sluice.plugins.anthropic;

import dev.sluice.api.GatewayError;
import dev.sluice.api.IngressFormat;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.pf4j.Extension;

/**
 * {@code POST /v1/messages}: Anthropic's Messages API as a way in, so Anthropic SDK clients and Claude Code
 * reach whatever provider the route picks. Headers ({@code anthropic-version}, {@code anthropic-beta}) are
 * accepted and not needed: the canonical request does not depend on them.
 */
@Extension
public final class AnthropicIngress implements IngressFormat {

  @Override
  public String path() {
    return "/v1/messages";
  }

  @Override
  public ChatRequest decodeRequest(JsonObject body, MultiMap headers) {
    return IngressDecoder.decode(body);
  }

  @Override
  public Buffer encodeResponse(ChatResponse response, ChatRequest request) {
    return IngressEncoder.response(response).toBuffer();
  }

  @Override
  public StreamEncoder streamEncoder(ChatRequest request) {
    return new IngressStreamEncoder(request.model());
  }

  @Override
  public Buffer encodeError(GatewayError error) {
    return IngressEncoder.error(error).toBuffer();
  }
}
