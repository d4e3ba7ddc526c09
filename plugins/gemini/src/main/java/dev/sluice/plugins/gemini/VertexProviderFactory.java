package dev.sluice.plugins.gemini;

import dev.sluice.api.PluginContext;
import dev.sluice.api.Provider;
import dev.sluice.api.ProviderFactory;
import dev.sluice.api.ProviderSettings;
import java.util.List;
import java.util.regex.Pattern;
import org.pf4j.Extension;

/**
 * {@code type: vertex}: Gemini on Vertex AI, authenticated by an OAuth access token sent as
 * {@code Authorization: Bearer}. Requests go to
 * {@code https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent}.
 *
 * <pre>
 * - {id: vertex, type: vertex, project: my-project, location: europe-west4, access_token: ${VERTEX_TOKEN}}
 * </pre>
 */
@Extension
public final class VertexProviderFactory implements ProviderFactory {
  static final String DEFAULT_LOCATION = "us-central1";
  private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9.:-]{0,62}");
  private static final Pattern LOCATION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  private static final List<String> KEYS = List.of("project", "location", "access_token", "base_url", "headers",
      "connect_timeout", "max_connections");

  @Override
  public String type() {
    return "vertex";
  }

  @Override
  public Provider create(ProviderSettings settings, PluginContext context) {
    settings.allowOnly(KEYS);
    String project = settings.requireString("project", "the Google Cloud project id that hosts Vertex AI");
    if (!PROJECT.matcher(project).matches()) {
      throw settings.invalid("project", "expected a Google Cloud project id such as 'my-project-123'");
    }
    String location = settings.string("location", DEFAULT_LOCATION);
    if (!LOCATION.matcher(location).matches()) {
      throw settings.invalid("location", "expected a Vertex AI region such as 'us-central1', or 'global'");
    }
    String token = settings.requireString("access_token",
        "an OAuth 2 access token for Vertex AI (e.g. from 'gcloud auth print-access-token')");
    String baseUrl = settings.url("base_url", defaultBaseUrl(location));
    Endpoint endpoint = Endpoint.vertex(baseUrl, project, location, token);
    return new GeminiProvider(settings.id(), endpoint, HttpSettings.of(settings), context.vertx());
  }

  /** The regional host; the {@code global} location has no region prefix. */
  static String defaultBaseUrl(String location) {
    return "global".equals(location) ? "https://aiplatform.googleapis.com/v1"
        : "https://" + location + "-aiplatform.googleapis.com/v1";
  }
}
