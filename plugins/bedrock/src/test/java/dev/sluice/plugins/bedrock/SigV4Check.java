package dev.sluice.plugins.bedrock;

import io.vertx.core.MultiMap;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The fake upstream's side of SigV4: checks the shape of the {@code Authorization} header, then signs the
 * request as received (path bytes, signed headers, body) with the SDK's signer at the request's own
 * {@code X-Amz-Date} and requires the same signature. Returns null when the request is good, else the problem.
 */
final class SigV4Check {
  private static final Pattern AUTH = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([a-z0-9;-]+), "
          + "Signature=([0-9a-f]{64})");
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
  /** Headers the signer adds itself; every other signed header is handed to it as received. */
  private static final Set<String> ADDED_BY_SIGNER = Set.of("host", "x-amz-date", "x-amz-security-token");

  private final String accessKeyId;
  private final String secret;
  private final String region;

  SigV4Check(String accessKeyId, String secret, String region) {
    this.accessKeyId = accessKeyId;
    this.secret = secret;
    this.region = region;
  }

  String problem(String rawPath, MultiMap headers, byte[] body, String expectedToken) {
    String authorization = headers.get("Authorization");
    if (authorization == null) return "no Authorization header";
    Matcher m = AUTH.matcher(authorization);
    if (!m.matches()) return "Authorization header has the wrong shape: " + authorization;
    String amzDate = headers.get("X-Amz-Date");
    if (amzDate == null) return "no X-Amz-Date header";
    if (!m.group(1).equals(accessKeyId)) return "credential is for key " + m.group(1);
    if (!amzDate.startsWith(m.group(2))) return "credential scope date " + m.group(2) + " is not the X-Amz-Date";
    if (!m.group(3).equals(region)) return "credential scope region is " + m.group(3);
    if (!m.group(4).equals("bedrock")) return "credential scope service is " + m.group(4);
    List<String> signed = Arrays.asList(m.group(5).split(";"));
    for (String required : List.of("host", "x-amz-date", "content-type")) {
      if (!signed.contains(required)) return "SignedHeaders lacks " + required + ": " + m.group(5);
    }
    String token = headers.get("X-Amz-Security-Token");
    if (expectedToken != null && !expectedToken.equals(token)) return "X-Amz-Security-Token is " + token;
    if (expectedToken == null && token != null) return "unexpected X-Amz-Security-Token";
    if (token != null && !signed.contains("x-amz-security-token")) return "the session token is not signed";

    String[] hostPort = headers.get("Host").split(":");
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).protocol("http")
        .host(hostPort[0]).port(hostPort.length > 1 ? Integer.parseInt(hostPort[1]) : 80).encodedPath(rawPath);
    for (String name : signed) {
      if (!ADDED_BY_SIGNER.contains(name)) request.putHeader(name, headers.getAll(name));
    }
    Instant at = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
    AwsCredentialsIdentity identity = token == null ? AwsCredentialsIdentity.create(accessKeyId, secret)
        : AwsSessionCredentialsIdentity.create(accessKeyId, secret, token);
    String expected = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request.build())
            .payload(ContentStreamProvider.fromByteArray(body))
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
            .putProperty(AwsV4HttpSigner.REGION_NAME, region)
            .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)))
        .request().firstMatchingHeader("Authorization").orElse("");
    return expected.equals(authorization) ? null : "signature mismatch: sent " + authorization + ", expected " + expected;
  }
}
