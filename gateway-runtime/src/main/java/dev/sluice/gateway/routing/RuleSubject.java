package dev.sluice.gateway.routing;

/** What routing rules may test about a request's caller, supplied by the pipeline. Values may be null. */
public interface RuleSubject {
  String keyId();

  String team();

  String user();

  String org();

  /** A request header (name in lower case), or null. */
  String header(String name);

  /** A tag of the {@code x-sluice-metadata} header, as text, or null. */
  String metadata(String name);
}
