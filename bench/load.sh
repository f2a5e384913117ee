#!/usr/bin/env bash
# Load test of the production stack on this machine (loopback only).
#
#   bench/load.sh            # DURATION=20 CONNECTIONS=32 by default
#
# 1. Imports ../shared/corpus/posts into a scratch PostgreSQL database
#    (newsroom_loadbench on $BENCH_POSTGRES, dropped and re-created).
# 2. Starts gunicorn (2 workers, production settings, plain http) on 127.0.0.1
#    and drives it with wrk (DURATION seconds, CONNECTIONS connections) on the
#    home page, an article, a category and a search: with Redis, through the
#    edge micro-cache of bench/nginx.conf, and with no cache at all.
# 3. Serves the same rendered article as a static file through nginx on
#    loopback: the serving ceiling of this machine.
# 4. Uncached throughput side by side with the Wagtail peer
#    (../shared/tools/peer-wagtail, built by its setup.sh when missing) on the
#    same posts (the corpus plus make_corpus.py --count 1000 --seed 1): home
#    and the LG article, PEER_ROUNDS alternating rounds of PEER_DURATION s.
#    Newsroom runs with the page cache off, its article cards kept in Redis
#    (reader/fragments.py), and with no cache at all.
# 5. The page cache under a stream of news: wrk over ARTICLE_PAGES article
#    pages (gunicorn + Redis) while bench/feed_stream.py publishes a feed item
#    every 5 s on 127.0.0.1 and fetch_feeds adds it; the share of responses
#    served from the cache (X-Cache: hit, counted by bench/hits.lua).
# 6. Varnish (deploy/varnish/newsroom.vcl) in front of gunicorn + Redis, the app
#    purging it (EDGE_PURGE_URL): the pages through Varnish, then wrk over the
#    article pages through Varnish while the feed stream adds news and
#    bench/edge_saves.py saves an article every second: the edge's hit ratio,
#    the time from a save's commit to its page being fresh there (p50, p99),
#    and stale pages served after their purge (the target is none).
# Prints requests/s, p99 latency and errors (socket errors plus non-2xx) for
# each, the ratio of the cached article to the ceiling, and the targets.
# Installs wrk, nginx and Varnish (Debian packages) when missing. Every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-20}
SHARED=${NEWSROOM_SHARED:-../shared}  # the corpus and the peer (make_corpus.py, peer-wagtail)
CONNECTIONS=${CONNECTIONS:-32}
PEER_ROUNDS=${PEER_ROUNDS:-3}
PEER_DURATION=${PEER_DURATION:-10}
ARTICLE_PAGES=${ARTICLE_PAGES:-300}
PEER_TOOLS=$SHARED/tools/peer-wagtail
PEER_VENV=/tmp/peer-wagtail-venv
PEER_SITE=/tmp/peer-wagtail-site
PEER_DATABASE=scale_peer_wagtail
POSTGRES=${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
DATABASE=newsroom_loadbench
REDIS=${BENCH_REDIS:-redis://127.0.0.1:6379/7}
CORPUS=$SHARED/corpus/posts
PY=.venv/bin/python

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx)
command -v varnishd >/dev/null && dpkg -s varnish-modules >/dev/null 2>&1 || missing+=(varnish varnish-modules)
if ((${#missing[@]})); then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[[ -d $CORPUS ]] || { echo "no corpus at $CORPUS" >&2; exit 1; }

WORK=$(mktemp -d)
chmod 755 "$WORK"  # nginx workers read from it
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { $PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_for() {  # URL: until it answers 200, for at most 30 s
  local deadline=$((SECONDS + 30))
  until curl -fso /dev/null "$1"; do
    ((SECONDS < deadline)) || { echo "timed out waiting for $1" >&2; exit 1; }
    sleep 0.2
  done
}

export DJANGO_SETTINGS_MODULE=newsroom.settings DEBUG=false HTTPS=false ALLOWED_HOSTS=127.0.0.1,localhost
export SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')
export DATABASE_URL=$POSTGRES/$DATABASE STATIC_ROOT=$WORK/static MEDIA_ROOT=$WORK/media
unset DATABASE_REPLICA_URL MEDIA_S3_BUCKET REDIS_URL EDGE_PURGE_URL EDGE_BACKEND

echo "== importing $CORPUS and 1,000 synthetic posts (the peer's) into $DATABASE"
psql "$POSTGRES/postgres" -qX -c "DROP DATABASE IF EXISTS $DATABASE" -c "CREATE DATABASE $DATABASE"
$PY manage.py migrate --no-input -v0
$PY manage.py collectstatic --no-input -v0
$PY "$SHARED/tools/make_corpus.py" "$WORK/synth" --count 1000 --seed 1 >/dev/null
# Exits 1 when a malformed file is rejected (the corpus has a few on purpose).
$PY manage.py import_posts "$CORPUS" "$WORK/synth" | tail -n 1 || true
$PY -c "import redis; redis.Redis.from_url('$REDIS').flushdb()"

URLS=$($PY -c '
import django
django.setup()
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from content.models import Article, Category
LG = "LG新能源以领先技术推动智能制造，协同产业链推动电动汽车市场升级"
article = Article.objects.published().filter(title=LG).first() or Article.objects.published().first()
category = Category.objects.annotate(n=Count("articles")).order_by("-n").first()
try:
    search = reverse("articles:search") + "?q=%E7%94%B5%E5%8A%A8%E6%B1%BD%E8%BD%A6"
except NoReverseMatch:
    search = "-"
print(article.get_absolute_url(), category.get_absolute_url(), search)')
read -r ARTICLE CATEGORY SEARCH <<<"$URLS"
PAGES=(home / article "$ARTICLE" category "$CATEGORY")
[[ $SEARCH != - ]] && PAGES+=(search "$SEARCH")

GUNICORN_PID=
start_gunicorn() {  # REDIS_URL ("" for none), page cache seconds (0: off), card seconds (0: off)
  PORT=$(free_port)
  REDIS_URL=$1 READER_CACHE_SECONDS=${2:-300} READER_FRAGMENT_SECONDS=${3:-86400} WEB_CONCURRENCY=2 GUNICORN_BIND=127.0.0.1:$PORT .venv/bin/gunicorn newsroom.wsgi >>"$WORK/gunicorn.log" 2>&1 &
  GUNICORN_PID=$!
  PIDS+=("$GUNICORN_PID")
  wait_for "http://127.0.0.1:$PORT/healthz"
}
stop_gunicorn() { kill "$GUNICORN_PID"; wait "$GUNICORN_PID" 2>/dev/null || true; }

to_ms() {  # wrk's "1.23ms" / "850.00us" / "1.02s" -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/) n *= 1000; printf "%.1f", n }'
}

declare -A RPS P99
ROWS=()
measure() {  # LABEL URL
  local status out rps p99 socket non2xx
  status=$(curl -so /dev/null -w '%{http_code}' "$2")
  [[ $status == 200 ]] || echo "warning: $2 answers $status" >&2
  wrk -t2 -c8 -d2s "$2" >/dev/null  # warm: worker templates and the page cache
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s --latency "$2")
  rps=$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  socket=$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$out")
  non2xx=$(awk '/Non-2xx/ { print $NF }' <<<"$out")
  RPS[$1]=$rps
  P99[$1]=$p99
  ROWS+=("$(printf '%-24s %10s %10s %8s' "$1" "$rps" "$p99" "$((${socket:-0} + ${non2xx:-0}))")")
}

echo "== gunicorn, 2 workers, Redis cache"
start_gunicorn "$REDIS"
APP=http://127.0.0.1:$PORT
for ((i = 0; i < ${#PAGES[@]}; i += 2)); do
  measure "${PAGES[i]} (redis)" "$APP${PAGES[i + 1]}"
done

echo "== nginx: the rendered article as a static file, and the edge micro-cache in front of gunicorn"
STATIC_PORT=$(free_port)
EDGE_PORT=$(free_port)
mkdir -p "$WORK/nginx/www"
curl -so "$WORK/nginx/www/article.html" "$APP$ARTICLE"
sed -e "s|@WORK@|$WORK/nginx|g" -e "s|@STATIC_PORT@|$STATIC_PORT|g" -e "s|@EDGE_PORT@|$EDGE_PORT|g" \
  -e "s|@UPSTREAM@|127.0.0.1:$PORT|g" bench/nginx.conf >"$WORK/nginx/nginx.conf"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
wait_for "http://127.0.0.1:$STATIC_PORT/article.html"
measure "article (nginx static)" "http://127.0.0.1:$STATIC_PORT/article.html"
for ((i = 0; i < ${#PAGES[@]}; i += 2)); do
  measure "${PAGES[i]} (edge cache)" "http://127.0.0.1:$EDGE_PORT${PAGES[i + 1]}"
done
kill "$NGINX_PID"
stop_gunicorn

echo "== gunicorn, 2 workers, no cache"
# No Redis, and neither whole pages nor cards kept (reader/fragments.py): every page built from scratch.
start_gunicorn "" 0 0
for ((i = 0; i < ${#PAGES[@]}; i += 2)); do
  measure "${PAGES[i]} (no cache)" "http://127.0.0.1:$PORT${PAGES[i + 1]}"
done
stop_gunicorn

echo "== uncached throughput: Newsroom and the Wagtail peer, $PEER_ROUNDS alternating rounds"
[[ -x $PEER_VENV/bin/gunicorn && -f $PEER_SITE/manage.py ]] || bash "$PEER_TOOLS/setup.sh" >/dev/null
psql "$POSTGRES/postgres" -qX -c "DROP DATABASE IF EXISTS $PEER_DATABASE WITH (FORCE)" -c "CREATE DATABASE $PEER_DATABASE"
# A command, not a function: "${PEER[@]}" gunicorn & leaves gunicorn's own pid in $!.
PEER=(env "DATABASE_URL=$POSTGRES/$PEER_DATABASE" "PEER_SITE=$PEER_SITE" DJANGO_SETTINGS_MODULE=peersite.settings.peer)
(cd "$PEER_SITE" && "${PEER[@]}" "$PEER_VENV/bin/python" manage.py migrate --noinput >/dev/null)
"${PEER[@]}" "$PEER_VENV/bin/python" "$PEER_TOOLS/import.py" "$CORPUS" >/dev/null 2>&1
"${PEER[@]}" "$PEER_VENV/bin/python" "$PEER_TOOLS/import.py" "$WORK/synth" >/dev/null 2>&1
PEER_ARTICLE=$("${PEER[@]}" "$PEER_VENV/bin/python" "$PEER_TOOLS/queries.py" | awk '$1 == "article" { print $2 }')
PEER_PORT=$(free_port)
"${PEER[@]}" "$PEER_VENV/bin/gunicorn" --chdir "$PEER_SITE" -w 2 -b "127.0.0.1:$PEER_PORT" peersite.wsgi >>"$WORK/peer.log" 2>&1 &
PEER_PID=$!
PIDS+=("$PEER_PID")
wait_for "http://127.0.0.1:$PEER_PORT/news/"
# Newsroom twice: with no cache at all, and as in production (Redis) with the page cache off, each page
# built but its article cards kept from one change to the next (reader/fragments.py). The peer keeps nothing.
start_gunicorn "" 0 0
BARE_PORT=$PORT BARE_PID=$GUNICORN_PID
start_gunicorn "$REDIS" 0
rps() { wrk -t2 -c32 -d2s "$1" >/dev/null; wrk -t2 -c32 -d"${PEER_DURATION}s" "$1" | awk '/^Requests\/sec/ { print $2 }'; }
declare -A PEER_RPS
for ((round = 1; round <= PEER_ROUNDS; round++)); do
  for page in home article; do
    ours=/ theirs=/news/
    [[ $page == article ]] && ours=$ARTICLE theirs=$PEER_ARTICLE
    PEER_RPS[newsroom $page]+=" $(rps "http://127.0.0.1:$PORT$ours")"
    PEER_RPS[wagtail $page]+=" $(rps "http://127.0.0.1:$PEER_PORT$theirs")"
    PEER_RPS[bare $page]+=" $(rps "http://127.0.0.1:$BARE_PORT$ours")"
  done
done
stop_gunicorn
kill "$BARE_PID" "$PEER_PID"
median() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
PEER_ROWS=()
times() { awk -v a="$1" -v b="$2" 'BEGIN { printf "x%.2f", a / b }'; }
for page in home article; do
  ours=$(median "${PEER_RPS[newsroom $page]}")
  bare=$(median "${PEER_RPS[bare $page]}")
  theirs=$(median "${PEER_RPS[wagtail $page]}")
  PEER_ROWS+=("$(printf '%-10s %10s %10s %10s %8s %8s   rounds: newsroom%s; no cache%s; wagtail%s' "$page" "$ours" "$bare" \
    "$theirs" "$(times "$ours" "$theirs")" "$(times "$bare" "$theirs")" \
    "${PEER_RPS[newsroom $page]}" "${PEER_RPS[bare $page]}" "${PEER_RPS[wagtail $page]}")")
done

echo "== the page cache while a feed adds an article every 5 s ($ARTICLE_PAGES article pages, Redis)"
$PY -c "
import django
django.setup()
from django.utils.encoding import iri_to_uri
from content.models import Article
for article in Article.objects.published().order_by('?')[:$ARTICLE_PAGES]:
    print(iri_to_uri(article.get_absolute_url()))" >"$WORK/article_paths"
$PY -c "import redis; redis.Redis.from_url('$REDIS').flushdb()"
start_gunicorn "$REDIS"
xargs -P4 -I{} curl -so /dev/null "http://127.0.0.1:$PORT{}" <"$WORK/article_paths"  # every page once: cached
FEED_STREAM_LOG=$WORK/feed_stream.log
REDIS_URL=$REDIS $PY bench/feed_stream.py --seconds "$DURATION" --every 5 >"$FEED_STREAM_LOG" 2>&1 &
STREAM_PID=$!
PIDS+=("$STREAM_PID")
HITS=$(PATHS_FILE=$WORK/article_paths wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/hits.lua "http://127.0.0.1:$PORT" | grep '^cache hits')
wait "$STREAM_PID" || true
stop_gunicorn

echo "== Varnish in front of gunicorn (Redis), purged by the app, while news arrives and editors save"
VARNISH_PORT=$(free_port)
export EDGE_PURGE_URL=http://127.0.0.1:$VARNISH_PORT/ TRUSTED_PROXY_COUNT=1
$PY -c "import redis; redis.Redis.from_url('$REDIS').flushdb()"
start_gunicorn "$REDIS"
sed "s/.port = \"8000\";/.port = \"$PORT\";/" deploy/varnish/newsroom.vcl >"$WORK/newsroom.vcl"
varnishd -F -n "$WORK/varnish" -a "127.0.0.1:$VARNISH_PORT" -f "$WORK/newsroom.vcl" -s malloc,256m -T none >>"$WORK/varnish.log" 2>&1 &
VARNISH_PID=$!
PIDS+=("$VARNISH_PID")
wait_for "http://127.0.0.1:$VARNISH_PORT/healthz"
sleep 5  # until its probe has found the origin healthy
EDGE=http://127.0.0.1:$VARNISH_PORT
for ((i = 0; i < ${#PAGES[@]}; i += 2)); do
  measure "${PAGES[i]} (varnish)" "$EDGE${PAGES[i + 1]}"
done
xargs -P4 -I{} curl -so /dev/null "$EDGE{}" <"$WORK/article_paths"  # every page once: at the edge
# wrk saturates both cores here: the writers get longer to connect to PostgreSQL than the 3 s default.
DATABASE_CONNECT_TIMEOUT=20 REDIS_URL=$REDIS $PY bench/feed_stream.py --seconds "$DURATION" --every 5 >"$WORK/edge_feed.log" 2>&1 &
EDGE_STREAM_PID=$!
DATABASE_CONNECT_TIMEOUT=20 REDIS_URL=$REDIS $PY bench/edge_saves.py --edge "$EDGE" --paths "$WORK/article_paths" --seconds "$DURATION" >"$WORK/edge_saves.log" 2>&1 &
EDGE_SAVES_PID=$!
PIDS+=("$EDGE_STREAM_PID" "$EDGE_SAVES_PID")
EDGE_HITS=$(HIT_HEADER=X-Edge-Cache PATHS_FILE=$WORK/article_paths wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/hits.lua "$EDGE" | grep '^cache hits')
wait "$EDGE_STREAM_PID" "$EDGE_SAVES_PID" || true
kill "$VARNISH_PID"
stop_gunicorn
unset EDGE_PURGE_URL TRUSTED_PROXY_COUNT

echo
echo "uncached, gunicorn 2 workers each, wrk -t2 -c32 -d${PEER_DURATION}s, median req/s of $PEER_ROUNDS rounds (target >= x3)"
echo "newsroom: page cache off, cards kept in Redis; no cache: neither pages nor cards kept, no Redis"
printf '%-10s %10s %10s %10s %8s %8s\n' page newsroom "no cache" wagtail ratio "no cache"
printf '%s\n' "${PEER_ROWS[@]}"
echo "article pages during the feed stream: $HITS (target >= 95%); $(tail -n 1 "$FEED_STREAM_LOG")"
echo "article pages through Varnish while news arrives and editors save: $EDGE_HITS; $(tail -n 1 "$WORK/edge_feed.log")"
echo "$(tail -n 1 "$WORK/edge_saves.log") (target: 0 stale)"

echo
echo "$(uptime)"
echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s; errors = socket errors + non-2xx responses"
printf '%-24s %10s %10s %8s\n' page req/s p99_ms errors
printf '%s\n' "${ROWS[@]}"
ratio() { awk -v a="${RPS[$1]}" -v s="${RPS[article (nginx static)]}" 'BEGIN { printf "%.1f%%", 100 * a / s }'; }
echo "cached article / static ceiling: app + Redis $(ratio "article (redis)"), nginx micro-cache $(ratio "article (edge cache)"), Varnish $(ratio "article (varnish)") (target >= 50%)"
worst() { for key in "${!P99[@]}"; do [[ $key == *"($1)" ]] && echo "${P99[$key]}"; done | sort -g | tail -n 1; }
echo "worst p99: app + Redis $(worst redis) ms, edge cache $(worst "edge cache") ms, no cache $(worst "no cache") ms (target < 100 ms)"
