package dev.sluice.gateway.identity;

/**
 * Who is calling: the key that authenticated the request and what it belongs to. Caching scopes by it,
 * governance limits and bills it. The master key is an admin principal with no team.
 *
 * @param keyId a stable, non-secret id of the key
 * @param keyPrefix the first characters of the key, safe to log
 * @param team the key's team, or null
 * @param user the key's user, or null
 * @param org the key's organization, or null
 */
public record Principal(String keyId, String keyPrefix, String team, String user, String org, boolean admin) {
  public static final Principal MASTER = new Principal("master", "master", null, null, null, true);
}
