#!/usr/bin/env bash
# Install dependencies, build jixiao (release), create the embedded SQLite
# database ./jixiao.db with demo data (a finance bureau, its departments,
# units and users, the real seed reports and generated projects), and show
# what the engine finds in the real seed reports.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake --preset release >/dev/null
cmake --build build/release
JX=./build/release/jixiao
echo
echo "== jixiao $($JX version | cut -d' ' -f2)"
$JX db demo --db sqlite:./jixiao.db
$JX db stats --db sqlite:./jixiao.db
echo
echo "== 核查 tests/data/seeds/ 中的真实自评表"
$JX check tests/data/seeds/ || true
echo "逐项计分依据: $JX score tests/data/seeds/000.json"
echo "规则方案:     $JX rules list"
echo "导出数据库:   $JX db export --db sqlite:./jixiao.db --out export.jsonl"
