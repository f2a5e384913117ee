# Varnish in front of Newsroom's gunicorn: reader pages cached for hours and purged
# precisely by the app (edge/, EDGE_PURGE_URL) through their surrogate keys.
# Needs Debian's varnish and varnish-modules (vmod xkey). `make serve` runs it; README "The edge".
vcl 4.1;

import std;
import xkey;

# The origin. `make serve` and the tests write their own port here.
backend origin {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    # Sick after 3 of 5 probes fail, each allowed 4 s: an origin that is only busy (a page at
    # a time, two workers) must not count as down, since purges turn soft while it is.
    .probe = {
        .url = "/healthz";
        .interval = 5s;
        .timeout = 4s;
        .window = 5;
        .threshold = 3;
    }
}

# Who may purge: the hosts the app runs on. Anyone else gets 403.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge header required"));
        }
        # While the origin answers, purged pages go at once (the next reader gets the new
        # page, never the old one); while it is down, they are only marked stale, so
        # readers keep getting them (grace) until it is back.
        if (std.healthy(req.backend_hint)) {
            set req.http.purged = xkey.purge(req.http.xkey-purge);
        } else {
            set req.http.purged = xkey.softpurge(req.http.xkey-purge);
        }
        return (synth(200, "Purged " + req.http.purged));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin, password resets and anyone signed in or sending a token never use the cache.
    if (req.url ~ "^/(admin|reset)/" || req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Readers' other cookies (analytics) change nothing on a page.
    unset req.http.Cookie;
    # Tracking parameters change nothing on a page either (the app keys its own cache the same way):
    # one cached copy, whatever campaign or share sheet a link came from.
    set req.url = regsuball(req.url, "([?&])(utm_[a-z_]+|fbclid|gclid|msclkid|spm|from|isappinstalled|scene|share_token)=[^&]*", "\1");
    set req.url = regsuball(req.url, "&&+", "&");
    set req.url = regsub(req.url, "\?&", "?");
    set req.url = regsub(req.url, "[?&]$", "");
    return (hash);
}

sub vcl_backend_response {
    # Only what the app can purge (it names its surrogate keys) or has given a lifetime itself
    # (static files, API answers) is kept: a 404 for an article about to be published is not.
    if (!beresp.http.Surrogate-Key && beresp.http.Cache-Control !~ "max-age") {
        set beresp.uncacheable = true;
        set beresp.ttl = 10s;
        return (deliver);
    }
    # The page's surrogate keys become xkey tags; its edge lifetime comes from Surrogate-Control.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    if (beresp.http.Surrogate-Control ~ "max-age=[0-9]+") {
        set beresp.ttl = std.duration(regsub(beresp.http.Surrogate-Control, ".*max-age=([0-9]+).*", "\1") + "s", 0s);
    }
    # Past its lifetime (a page nobody changed), a page is served while it is fetched again,
    # and for a day while the origin is down.
    set beresp.grace = 24h;
}

sub vcl_deliver {
    unset resp.http.xkey;
    unset resp.http.Surrogate-Control;
    if (obj.uncacheable) {
        set resp.http.X-Edge-Cache = "pass";
    } elsif (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "hit";
    } else {
        set resp.http.X-Edge-Cache = "miss";
    }
}
