"""An idea in the deck's six slots, as the Invent tests write it."""

from __future__ import annotations

SLOTS = {
    "customer": "中小企業の経理担当",
    "situation": "月末の締め作業",
    "capability": "請求書を自動で仕分け",
    "customer_metric": "締め作業の時間",
    "business_metric": "有料プランの継続率",
    "data": "仕分けの修正履歴",
}
