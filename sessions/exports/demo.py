"""A complete demo workshop, in Japanese, as a workshop file (sessions/exchange.py).

Six people at an accounting-app team run all of Day 1: about 120 notes, scored groups, six
ideas marked ○/△ by everyone, the winner decided by the workshop's rules, the whole proposal,
the measurement plan and the questionnaire. Deterministic: the same file every time.
"""

from __future__ import annotations

import random
from typing import Any

from sessions.exports.portable import FORMAT, VERSION
from sessions.rules import scales, scoring
from sessions.rules.invent import SLOT_KEYS
from sessions.rules.questionnaire import PHASES
from sessions.rules.refine import RefineRole

PEOPLE = ("山田 花子", "佐藤 一郎", "鈴木 次郎", "高橋 さくら", "田中 健", "伊藤 美咲")
ROLES = tuple(RefineRole) * 2  # planner, sales, developer, in turn

CUSTOMER_NOTES = {
    "customer-facts": [
        "従業員 10〜50 名の中小企業の経理担当",
        "経理は 1〜2 名で兼務が多い",
        "月末の締めに毎月 3 日かかる",
        "領収書は紙とメールが半々",
        "会計ソフト歴 5 年以上が多い",
        "スマホで経費精算したい人が増えている",
        "税理士に月次で資料を送っている",
        "インボイス制度への対応に不安がある",
        "経理担当の平均年齢は 40 代",
        "Excel で管理表を併用している",
        "月に 200 枚ほどの領収書を処理する",
        "スマホは業務でも私物を使っている",
        "マニュアルは 5 年前のまま",
    ],
    "organisation-facts": [
        "社長が最終承認する",
        "IT 担当者がいない会社が多い",
        "予算は年 30 万円以内",
        "紙の稟議が残っている",
        "拠点が 2〜3 か所ある",
        "繁忙期は 3 月と 9 月",
        "経理の退職で引き継ぎに苦労した経験がある",
        "営業が経費精算を月末にまとめて出す",
        "部門ごとの予算管理はしていない",
        "決裁は紙とハンコが中心",
        "社長は数字をスマホで見たい",
        "経理の相談相手が社内にいない",
    ],
    "environment-facts": [
        "電子帳簿保存法の改正",
        "競合 3 社が AI 仕訳を発表",
        "取引先の請求書が PDF 化している",
        "銀行 API の連携先が増えた",
        "税理士事務所もクラウド化が進む",
        "人手不足で採用が難しい",
        "キャッシュレス決済が増えている",
        "取引先の海外比率が上がっている",
        "顧問税理士の高齢化",
        "同業の会社もクラウド会計に移っている",
        "銀行の窓口が減っている",
    ],
    "organisation-influence": [
        "締めが遅れると経営判断が遅れる",
        "ミスが見つかると社長の信頼を失う",
        "残業が増えて離職につながる",
        "監査前に資料集めで慌てる",
        "承認待ちで支払いが遅れる",
        "経理の知識が属人化する",
        "経理が休めず有給を取れない",
        "数字の遅れで賞与の判断が遅れる",
        "監査法人への対応が負担になる",
        "締めが遅れて請求が翌月にずれ込む",
        "経理の仕事が評価されにくい",
    ],
    "environment-influence": [
        "法改正のたびに運用を見直す",
        "取引先から電子請求への対応を求められる",
        "競合ソフトへの乗り換えを検討している",
        "税理士から入力の質を指摘される",
        "補助金の申請で帳簿の整備が必要",
        "金融機関から月次の数字を求められる",
        "取引先の倒産リスクを早く知りたい",
        "電子取引のデータ保存が義務になった",
        "取引先ごとに請求書の形式が違う",
        "税率の改定で設定を見直す",
        "取引先から支払いの早期化を求められる",
        "補助金の締め切りに帳簿が間に合わない",
    ],
}
CUSTOMER_PROBLEMS = [
    # (group, influence, situation, problem)
    ("締め作業", "残業が増える", "月末の締めのとき", "領収書の仕訳に時間がかかる"),
    ("締め作業", "経営判断が遅れる", "月末の締めのとき", "銀行明細との突き合わせが手作業"),
    ("締め作業", "ミスが増える", "繁忙期に", "二重入力が発生する"),
    ("締め作業", "税理士への提出が遅れる", "月次の締めで", "未処理の経費がわからない"),
    ("締め作業", "残業が増える", "月末に", "承認待ちの申請を追いかける"),
    ("締め作業", "疲弊する", "決算前に", "過去の仕訳を探し直す"),
    ("法対応", "罰則が怖い", "インボイス対応で", "登録番号の確認が手間"),
    ("法対応", "不安になる", "電子帳簿保存法で", "保存要件がわからない"),
    ("法対応", "やり直しになる", "税理士のチェックで", "税区分の誤りを指摘される"),
    ("法対応", "調べ物が増える", "法改正のたびに", "設定変更の方法がわからない"),
    ("引き継ぎ", "業務が止まる", "担当者が休むとき", "手順が本人の頭の中にしかない"),
    ("引き継ぎ", "教育に時間がかかる", "新人が入ったとき", "勘定科目の判断を教えられない"),
    ("引き継ぎ", "ミスが増える", "兼務の担当者が", "年に一度の処理を忘れる"),
    ("引き継ぎ", "不安になる", "退職が決まったとき", "引き継ぎ資料を作る時間がない"),
    ("可視化", "判断が遅れる", "社長に聞かれたとき", "今月の利益がすぐ答えられない"),
    ("可視化", "資金が足りなくなる", "支払いが重なるとき", "資金繰りの見通しが立たない"),
    ("可視化", "機会を逃す", "銀行との面談で", "月次の資料がすぐ出せない"),
    ("可視化", "気づくのが遅れる", "経費が増えたとき", "部門別の内訳がわからない"),
    ("連携", "入力が二度手間", "取引先の請求書を受け取るとき", "PDF から手で転記している"),
    ("連携", "ミスが増える", "銀行明細を取り込むとき", "口座ごとに形式が違う"),
    ("連携", "待ち時間が増える", "税理士とやり取りするとき", "メールで資料を送り合う"),
    ("連携", "入力が漏れる", "カード明細を取り込むとき", "私用と業務の区別がつかない"),
    ("締め作業", "月末が憂うつになる", "経費精算が集中するとき", "差し戻しのやり取りが多い"),
    ("可視化", "社長に怒られる", "予算と実績を比べるとき", "集計に半日かかる"),
    ("法対応", "監査で指摘される", "証憑を探すとき", "紙とデータの保管場所が分かれている"),
    ("引き継ぎ", "品質がばらつく", "複数人で入力するとき", "摘要の書き方が人によって違う"),
    ("締め作業", "残業代が増える", "年末調整の時期に", "経理の作業が重なる"),
    ("可視化", "投資判断ができない", "新規事業を検討するとき", "事業別の採算がわからない"),
    ("連携", "手間が増える", "給与ソフトと連携するとき", "仕訳を手で作り直す"),
    ("法対応", "不安が残る", "税務調査の前に", "過去 7 年分の証憑をそろえられない"),
]
BUSINESS_PROBLEMS = {
    "awareness": [
        "中小企業に製品名が知られていない",
        "展示会の商談化率が低い",
        "比較サイトで競合に負けている",
        "無料トライアルの登録が伸びない",
        "税理士経由の紹介が少ない",
        "広告の獲得単価が上がっている",
        "AI 機能の訴求ができていない",
    ],
    "contract": [
        "導入時のデータ移行が重い",
        "初期設定で挫折する",
        "社長の承認に時間がかかる",
        "料金プランがわかりにくい",
        "セキュリティの説明資料が足りない",
        "トライアル中の設定支援が手薄",
        "年契約への切り替えが少ない",
    ],
    "retention": [
        "3 か月以内の解約が多い",
        "ログイン頻度が月末に偏る",
        "サポートへの問い合わせが多い",
        "担当者が替わると使われなくなる",
        "決算期に競合へ乗り換えられる",
        "活用度の低い顧客を把握できていない",
        "新機能が知られていない",
    ],
    "expansion": [
        "上位プランへの移行が少ない",
        "複数拠点での利用が広がらない",
        "給与計算との連携が使われていない",
        "API 連携の需要を取りこぼしている",
        "税理士向けプランが弱い",
        "オプションの購入率が低い",
        "ユーザー数課金が伸びない",
    ],
}
# The deck's sentence reads 「〇〇の顧客」が「△△な状況」にあるとき「□□できる」: each slot is
# written to fit it.
IDEAS = [
    (
        "中小企業向け会計アプリ",
        "月末の締めで手一杯",
        "写真を撮るだけで仕訳を作成",
        "締め作業の時間",
        "有料プランの継続率",
        "仕訳の修正履歴",
    ),
    (
        "経理 1 人の会社向け会計アプリ",
        "担当者の不在で処理が止まりがち",
        "手順書を自動で作成",
        "引き継ぎの時間",
        "解約率",
        "操作ログ",
    ),
    (
        "経営者向け会計アプリ",
        "今月の数字がすぐ必要",
        "利益と資金繰りを予測",
        "経営判断までの日数",
        "上位プランへの移行率",
        "入出金の履歴",
    ),
    (
        "税理士と契約する会社向け会計アプリ",
        "税区分の誤りを指摘されがち",
        "税区分の誤りを自動で警告",
        "差し戻しの回数",
        "税理士経由の紹介数",
        "税理士の修正結果",
    ),
    (
        "取引先の多い会社向け会計アプリ",
        "請求書の転記に追われがち",
        "PDF の請求書から自動で入力",
        "転記の時間",
        "トライアルからの契約率",
        "請求書の画像と入力結果",
    ),
    (
        "複数拠点の会社向け会計アプリ",
        "部門別の内訳が不透明",
        "部門別の経費を自動で分類",
        "月次資料の作成時間",
        "複数拠点での利用率",
        "部門ごとの仕訳",
    ),
]
FAQ = [
    ("写真が斜めでも読み取れますか？", "はい、傾きや影は自動で補正します。", False),
    ("手書きの領収書にも対応していますか？", "現時点では印字された領収書のみです。", True),
    ("今の会計ソフトから移行できますか？", "主要 3 社のデータは CSV で取り込めます。", False),
    ("仕訳の誤りは誰が直しますか？", "候補を確認して確定するのは経理担当です。", False),
    ("料金はいくらですか？", "既存プランに追加料金なしで使えます。", False),
    ("オフラインでも撮影できますか？", "いいえ、現状は通信が必要です。", True),
]
DEMO = [
    ("スマホアプリにログインする", False),
    ("「領収書を撮る」を押す", False),
    ("領収書を撮影する", False),
    ("仕訳の候補と確からしさを確認する", True),
    ("勘定科目を直して確定する", False),
    ("月末の締め画面で未処理が 0 件になったことを見せる", False),
    ("既存の銀行明細と自動で突き合わせる", True),
]
PLAN = [
    ("customer", "who", "導入 3 か月以内の経理担当"),
    ("customer", "what", "撮影から仕訳確定までの画面"),
    ("customer", "how", "締め作業の時間が導入前の 70% 以下になれば合格"),
    ("business", "who", "プロダクトマネージャー"),
    ("business", "what", "有料プランの継続率"),
    ("business", "how", "機能を使った会社の 6 か月継続率が 1.2 倍なら合格"),
    ("model", "who", "データサイエンティスト"),
    ("model", "what", "仕訳候補の正解率"),
]


def demo_workshop(title: str = "AI 仕訳の企画ワークショップ") -> dict[str, Any]:
    rng = random.Random(20261126)
    people = [f"p{n}" for n in range(1, len(PEOPLE) + 1)]

    def author(n: int) -> str:
        return people[n % len(people)]

    customer_notes: list[dict[str, Any]] = [
        {
            "author": author(n),
            "cell": cell,
            "text": text,
            "influence": "",
            "situation": "",
            "assumption": rng.random() < 0.25,
            "points": None,
            "group": None,
        }
        for n, (cell, text) in enumerate(
            (cell, text) for cell, texts in CUSTOMER_NOTES.items() for text in texts
        )
    ]
    customer_groups = sorted({group for group, *_rest in CUSTOMER_PROBLEMS})
    problem_notes: list[dict[str, Any]] = [
        {
            "author": author(n),
            "cell": "",
            "text": problem,
            "influence": influence,
            "situation": situation,
            "assumption": rng.random() < 0.2,
            "points": None,
            "group": f"c{customer_groups.index(group) + 1}",
        }
        for n, (group, influence, situation, problem) in enumerate(CUSTOMER_PROBLEMS)
    ]
    business_notes: list[dict[str, Any]] = [
        {
            "author": author(n + 1),
            "cell": cell,
            "text": text,
            "influence": "",
            "situation": "",
            "assumption": rng.random() < 0.2,
            "points": None,
            "group": f"b{list(BUSINESS_PROBLEMS).index(cell) + 1}",
        }
        for n, (cell, text) in enumerate(
            (cell, text) for cell, texts in BUSINESS_PROBLEMS.items() for text in texts
        )
    ]
    # Each person gives their points (3, 2 and 1) to as many of their own notes on each side.
    for notes in (problem_notes, business_notes):
        for person in people:
            own = [note for note in notes if note["author"] == person]
            ranked = rng.sample(own, min(len(scales.POINTS), len(own)))
            for note, points in zip(ranked, scales.POINTS, strict=False):
                note["points"] = points
    customer_scores = _scores(problem_notes, [f"c{n}" for n in range(1, 6)])
    business_scores = _scores(business_notes, [f"b{n}" for n in range(1, 5)])
    groups = {**customer_scores, **business_scores}
    group_names = {f"c{n}": name for n, name in enumerate(customer_groups, start=1)}
    group_names.update({f"b{n}": cell for n, cell in enumerate(BUSINESS_PROBLEMS, start=1)})
    business_labels = {
        "awareness": "認知",
        "contract": "契約",
        "retention": "継続",
        "expansion": "拡大",
    }

    ideas = [f"i{n}" for n in range(1, len(IDEAS) + 1)]
    marks: list[list[str]] = []
    by_person: dict[str, dict[str, dict[str, scoring.Mark]]] = {}
    for person in people:
        for idea in ideas:
            # The first idea solves most of the table for most people: a clear winner.
            for group in groups:
                roll = rng.random() - (0.25 if idea == "i1" else 0)
                value = (
                    scoring.Mark.SOLVES
                    if roll < 0.35
                    else scoring.Mark.PARTLY
                    if roll < 0.6
                    else ""
                )
                if value:
                    marks.append([idea, person, group, value])
                    by_person.setdefault(person, {}).setdefault(idea, {})[group] = scoring.Mark(
                        value
                    )
    scores = scoring.score_table(by_person, groups, ideas=ideas)
    result = scoring.decide_winner(scores, {}, lambda tied: tied[0], ideas=ideas)
    return {
        "format": FORMAT,
        "version": VERSION,
        "workshop": {
            "title": title,
            "team_name": "会計アプリ「カイケイ」チーム",
            "language": "ja",
            "step": "next-questionnaire",
            "created_at": "2026-11-26T10:00:00+09:00",
        },
        "participants": [
            {"key": key, "name": name, "role": role}
            for key, name, role in zip(people, PEOPLE, ROLES, strict=True)
        ],
        "persona": {
            "name": "経理担当の佐々木さん（42 歳）",
            "description": "従業員 30 名の製造業で経理を 1 人で担当。月末は毎月残業が続き、"
            "社長からは数字を早く出すよう求められている。",
        },
        "boards": [
            {
                "kind": "customer",
                "revealed": True,
                "owner": "p1",
                "groups": [],
                "notes": customer_notes,
            },
            {
                "kind": "customer_problems",
                "revealed": True,
                "owner": "p2",
                "groups": [
                    {"key": key, "cell": "", "name": group_names[key], "score": score}
                    for key, score in customer_scores.items()
                ],
                "notes": problem_notes,
            },
            {
                "kind": "business_problems",
                "revealed": True,
                "owner": "p3",
                "groups": [
                    {
                        "key": key,
                        "cell": group_names[key],
                        "name": business_labels[group_names[key]],
                        "score": score,
                    }
                    for key, score in business_scores.items()
                ],
                "notes": business_notes,
            },
        ],
        "invent": {
            "ideas": [
                {
                    "key": key,
                    "author": author(n),
                    **dict(zip(SLOT_KEYS, slots, strict=True)),
                    "shared": n + 1,
                }
                for n, (key, slots) in enumerate(zip(ideas, IDEAS, strict=True))
            ],
            "marks": sorted(marks),
            "picks": [],
            "staged": None,
            "revealed": True,
            "winner": result.winner,
            "decided_by": result.decided_by or "",
            "tied": list(result.tied),
            "reason": "",
        },
        "proposal": {
            "reading": "",
            "summary": {"capability": "領収書の写真から仕訳を作成"},
            "faq": [{"text": q, "answer": a, "red": red} for q, a, red in FAQ],
            "demo": [{"text": text, "red": red} for text, red in DEMO],
        },
        "plan": [{"column": c, "row": r, "text": text} for c, r, text in PLAN],
        "questionnaire": [
            {
                "participant": person,
                "go_straight": rng.random() < 0.3,
                "ratings": {
                    phase: {
                        "rating": rng.randint(scales.RATINGS[0], scales.RATINGS[-1]),
                        "comment": comment,
                    }
                    for phase, comment in zip(
                        PHASES,
                        (
                            "顧客の声をもっと集めたい" if n % 2 else "",
                            "",
                            "事例が足りなかった" if n % 3 == 0 else "",
                            "赤の項目が残っている",
                            "",
                        ),
                        strict=True,
                    )
                },
            }
            for n, person in enumerate(people)
        ],
    }


def _scores(notes: list[dict[str, Any]], keys: list[str]) -> dict[str, int]:
    """Each group's score, as the program proposes it from the point totals."""
    totals = scoring.group_totals(((n["group"], n["points"] or 0) for n in notes), keys)
    proposals = scoring.propose_scores(totals)
    return {key: proposals.get(key) or scales.SCALE[-1] for key in keys}
