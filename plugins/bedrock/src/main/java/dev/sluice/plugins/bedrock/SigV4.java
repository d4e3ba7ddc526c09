package dev.sluice.plugins.bedrock;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * AWS Signature Version 4 for service {@code bedrock}, by the AWS SDK's own signer. Pure CPU work over the
 * bytes in hand (an HMAC chain and one SHA-256 of the body), so it runs on the event loop; the credentials
 * were resolved when the provider was created.
 *
 * <p>The path must already be URI-encoded the way it is sent (a model id's {@code :} as {@code %3A}); the
 * signer encodes it once more for the canonical request, as AWS expects for every service but S3.
 */
final class SigV4 {
  static final String SERVICE = "bedrock";

  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final AwsCredentialsIdentity identity;
  private final String region;
  private final Clock clock;

  SigV4(BedrockSettings.Credentials credentials, String region, Clock clock) {
    this.identity = credentials.sessionToken() == null
        ? AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey())
        : AwsSessionCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey(),
            credentials.sessionToken());
    this.region = region;
    this.clock = clock;
  }

  /**
   * The headers to send: {@code headers} plus {@code Host}, {@code X-Amz-Date}, {@code X-Amz-Security-Token}
   * (with temporary credentials) and {@code Authorization}.
   */
  Map<String, String> sign(String scheme, String host, int port, String encodedPath, Map<String, String> headers,
                           byte[] body) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).protocol(scheme).host(host)
        .port(port).encodedPath(encodedPath);
    headers.forEach(request::putHeader);
    SignedRequest signed = signer.sign(r -> r.identity(identity)
        .request(request.build())
        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(HttpSigner.SIGNING_CLOCK, clock));
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
      out.put(h.getKey(), String.join(",", h.getValue()));
    }
    return out;
  }
}
