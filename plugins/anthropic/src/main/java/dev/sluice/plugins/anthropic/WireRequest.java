package dev.sluice.plugins.anthropic;

import io.vertx.core.json.JsonObject;

/**
 * A canonical request translated for Anthropic, with what reading its answer needs to know.
 *
 * @param jsonTool the name of the tool that carries a {@code json_schema} answer, or null; its input is the
 *     answer's text (see {@link JsonMode})
 * @param includeUsage whether a stream ends with a usage chunk
 */
record WireRequest(JsonObject body, String jsonTool, boolean includeUsage) {}
