#!/usr/bin/env bash
# Install dependencies, build jixiao (release) and run it on the seed
# fixtures: the computed scores and every inconsistency the audit finds in
# the five real published reports transcribed under tests/data/seeds/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake --preset release >/dev/null
cmake --build build/release
echo
echo "== jixiao $(./build/release/jixiao version | cut -d' ' -f2): 核查 tests/data/seeds/ 中的真实自评表"
echo
status=0
./build/release/jixiao check tests/data/seeds/ || status=$?
echo "退出状态 $status（0 无错误，1 发现错误，2 输入有误）。"
echo "逐项计分依据: ./build/release/jixiao score tests/data/seeds/000.json"
echo "规则方案:     ./build/release/jixiao rules list"
exit 0
