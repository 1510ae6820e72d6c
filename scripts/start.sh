#!/usr/bin/env bash
# Install dependencies, build jixiao (release), create the embedded SQLite
# database ./jixiao.db with demo data (a finance bureau, its departments,
# units and users, the real seed reports and generated projects), show what
# the engine finds in the real seed reports, and start the web server on
# http://127.0.0.1:8080/ (stop it with Ctrl-C). JIXIAO_LISTEN changes the
# address, e.g. JIXIAO_LISTEN=0.0.0.0:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake --preset release >/dev/null
cmake --build build/release
JX=./build/release/jixiao
DB=sqlite:./jixiao.db
LISTEN=${JIXIAO_LISTEN:-127.0.0.1:8080}
echo
echo "== jixiao $($JX version | cut -d' ' -f2)"
$JX db demo --db "$DB"
$JX db stats --db "$DB"
echo
echo "== 核查 tests/data/seeds/ 中的真实自评表"
$JX check tests/data/seeds/ || true
echo
echo "== 网页服务"
echo "地址:   http://${LISTEN}/"
echo "示范用户（密码均为 jixiao2026）:"
echo "  admin     系统管理员"
echo "  caizheng  财政审核（示范市财政局）"
echo "  dept01    主管部门审核（dept01…dept06）"
echo "  unit0101  单位填报（unit0101…unit0603）"
echo "接口说明: docs/api.md；按 Ctrl-C 停止服务"
exec $JX serve --db "$DB" --listen "$LISTEN" --set log_format=text
