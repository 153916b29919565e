"""The FAQ and the source references of the catalog against the source documents.

The questions below are typed from the seeds (with a phrase of each seed answer, to prove the pairing);
nothing is read from ../shared at test time.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from catalog import Catalog

# The README index of the source documents: file -> product.
SEED_INDEX = {
    "000_f82058bbce275d13.txt": "and-me",
    "001_6a31ce8b7c6cf8f1.txt": "stalker-rider",
    "002_314a3928efdf1cd5.txt": "smasapo-club",
    "003_d30db67cdebe340d.txt": "home-alsok",
    "004_4ab4e71b43eb74bf.txt": "watashi-no-omamori",
}

# and ME (000): the 「ご注意事項 Q&A」 and 「よくあるご質問」 lists, plus the question in the moving benefit's text.
AND_ME_QA = [
    (
        "引越し費用にはなにが含まれるの?",
        "引越し業者費用・賃貸借契約に係る礼金",
    ),
    (
        "申込み後、いつから補償されますか?",
        "保険期間が開始する保険始期日は、保険契約",
    ),
    (
        "以前にストーカー被害に遭っていた場合でも、補償されますか?",
        "保険始期日より前に、つきまとい等のストー",
    ),
    (
        "男性も保険に入れますか?",
        "性別・年齢に関係なくご加入いただけます。",
    ),
    (
        "どのような行為がストーカーになるのですか。",
        "ストーカー規制法においては、以下のような",
    ),
    (
        "この保険ではどのような場合に対象となるのですか。",
        "保険期間の開始日以降に、警察署等へストー",
    ),
    (
        "警察へ相談したことがありますが、保険に加入できますか。",
        "保険に加入することはできますが、すでに警",
    ),
    (
        "DVを受けています。この保険の対象になりますか?",
        "配偶者からのDVについては、DV法(配偶",
    ),
    (
        "保険加入時にALSOKとの契約が必要ですか?",
        "保険の申込時にALSOKのご契約は必要あ",
    ),
    (
        "ALSOK以外の警備業者は利用できないのですか。",
        "本保険の「警護費用保険金」「モバイルセキ",
    ),
    (
        "どのような支払い方法がありますか。",
        "クレジットカード払い、コンビニエンススト",
    ),
    (
        "加入に年齢制限はありますか?小学生でも加入できますか?",
        "年齢制限はありません。小学生でもご加入い",
    ),
    (
        "支払い限度額に達した場合、契約は更新できませんか?",
        "ストーカー警護費用保険金が支払い限度額の",
    ),
    (
        "それぞれの保険金は併用できるのでしょうか。",
        "(例)一時避難しながら、警備サービスを利",
    ),
    (
        "どのようにガードマンを呼ぶのですか。",
        "ALSOKとの契約後に、モバイルセキュリ",
    ),
    (
        "ガードマンは何時間くらい対応してくれますか。",
        "1回の駆け付けは原則1時間(最大3時間)",
    ),
    (
        "支払限度額240万円とはどういうことですか。",
        "1つのストーカー事故(「警告」等が発令さ",
    ),
    (
        "支払限度額240万円とあるが、契約を更新したらどうなるのか。",
        "1つのストーカー事故(警告等の発令)につ",
    ),
    (
        "ストーカー警護費用、モバイルセキュリティ費用、ストーカー対策費用はALSOK以外はNGですか?",
        "ALSOKのサービス利用や機器購入に限定",
    ),
    (
        "モバイルセキュリティ機器とはどんなものですか。",
        "ALSOKの提供する「まもるっく」サービ",
    ),
    (
        "モバイルセキュリティ機器はどのくらいの期間使用できますか。",
        "本保険金の支払い対象となった場合最長1年",
    ),
    (
        "①~⑦を選択とのことだが、複数選択できますか。",
        "お支払限度額20万円の範囲内で、複数選択",
    ),
    (
        "保険期間中に何回でも利用できますか。",
        "お支払限度額20万円の範囲内で利用いただ",
    ),
    (
        "①~⑦以外で利用したい。",
        "①~⑦以外は対象外となります。",
    ),
    (
        "①防犯カメラは既にあるので不要です。",
        "それ以外の②~⑦の中から、ご希望に応じて",
    ),
    (
        "交通費や滞在中の食事代なども補償してくれますか。",
        "宿泊代のみとなり、交通費や食事代は対象外",
    ),
    (
        "海外のホテルでも対象ですか。",
        "日本国内のホテル等に限ります。",
    ),
    (
        "対象となる宿泊施設は",
        "旅館業法に定める旅館・ホテル・カプセルホ",
    ),
    (
        "1泊1万円以下だった場合はどうなりますか。",
        "お支払いは実際にご負担いただいた額となり",
    ),
    (
        "対象となる費用は何ですか。",
        "転居に要する費用(引越費用、賃貸借契約に",
    ),
]

# ALSOK (003): every question of the FAQ page, in page order, with a phrase of its answer.
# 「何分ぐらいで駆けつけてくれるのですか?」 has no answer of its own: the next question's answer serves both.
ALSOK_QA = [
    (
        "ホームセキュリティとはどのようなサービスですか?",
        "セキュリティシステムを設置し、お客様のお",
    ),
    (
        "ALSOKのホームセキュリティは他社のサービスと違いは何ですか?",
        "警備業界のリーティングカンパニーとして時",
    ),
    (
        "ホームセキュリティにはどのようなサービスがありますか?",
        "ピッキングやガラス破り等による",
    ),
    (
        "マンションにも対応しているのですか?",
        "対応しています。「HOME ALSOK",
    ),
    (
        "高齢者向けの見守りサービスはありますか?",
        "ご高齢者様向け緊急通報サービスの「みまも",
    ),
    (
        "自宅とお店が一緒になっていても契約できますか?",
        "契約できます。店舗併用住宅や事務所併用住",
    ),
    (
        "室内でペットを飼っていても大丈夫でしょうか?",
        "大丈夫です。お客様のライフスタイルに合わ",
    ),
    (
        "お掃除ロボットは使っていても問題ないでしょうか?",
        "問題ございません。お掃除ロボットのご利用",
    ),
    (
        "何分ぐらいで駆けつけてくれるのですか?",
        "ガードマン(警備員)が待機している場所によります",
    ),
    (
        "わが家の場合、どこから駆けつけてくれるのですか?",
        "ガードマン(警備員)が待機している場所に",
    ),
    (
        "異常が発生した場合は、どのように対応してくれるのでしょうか?",
        "ガードセンター(監視センター)で異常の信",
    ),
    (
        "ガードマン(警備員)とはどのような人たちなのですか?",
        "警備業法で定められた資格を有し、ALSO",
    ),
    (
        "警備モードの「外出セルフ警備」と「在宅セルフ警備」って何ですか?",
        "外出中にお客様ご自身が監視する警備モードです",
    ),
    (
        "契約時にマイルがたまる商品はありますか?",
        "ございます。当社は日本航空㈱と提携してお",
    ),
    (
        "費用はいくらですか?",
        "お客様がご利用するサービスやプランによっ",
    ),
    (
        "料金プランが3種類ありますが違いは何ですか?",
        "お買い上げプランは初期費用(工事費、機器",
    ),
    (
        "出動のたびに料金がかかりますか?",
        "1回につき「3,300円(税込)」の出動料金",
    ),
    (
        "IDキーはどのようなものですか?",
        "涙形の形状(縦40mm/横30mm/厚さ4.5mm)",
    ),
    (
        "暗証番号とIDキーの両方を使わないと警備の操作ができないようにできますか?",
        "できません。警備の操作をする際は暗証番号",
    ),
    (
        "IDキーとフェリカカードは何本(枚)まで登録ができますか?",
        "合わせて30本まで登録ができます。",
    ),
    (
        "誤操作しないか不安です。",
        "センサーが異常を感知した際は、コントロー",
    ),
    (
        "Web機能の具体的な機能はなんですか?",
        "緊急連絡者名簿(連絡先、同居家族、救急情報)",
    ),
    (
        "スマートフォンアプリでできることはなんですか?",
        "③ALSOKからのお知らせや、ALSOKへの問い合わせ(TEL)",
    ),
    (
        "スマートフォンアプリの対応OSはなんですか?",
        "iOSおよびAndroidに対応しており",
    ),
    (
        "無線回線はどこの会社の回線ですか?",
        "NTT-docomoまたはSoftban",
    ),
    (
        "電波環境が悪い場合はどうすればいいですか?",
        "当社が定める電波強度に満たない場合は、増",
    ),
    (
        "無線通信回線の利用料金は別途かかりますか?",
        "月額料金に含まれています。",
    ),
    (
        "コントローラーはどのくらいの大きさですか?",
        "横162mm×縦120mm×厚さ30mm",
    ),
    (
        "英語音声に対応していますか?",
        "対応しています。",
    ),
    (
        "機器のボタン等も英語表示になりますか?",
        "機器の表示は日本語です。",
    ),
    (
        "「ALSOKステッカー」は販売していますか?",
        "販売しておりません。ALSOKステッカー",
    ),
    (
        "契約期間は何年ですか?",
        "オンラインセキュリティ:5年契約です",
    ),
    (
        "代金の支払方法を教えてください。",
        "口座振替、クレジットカード決済(毎月払いのみ)",
    ),
    (
        "解約したいときは、どのような手続きが必要ですか?",
        "解約の意思表示および希望の解約日を記載し",
    ),
    (
        "緊急連絡先とは何でしょうか?",
        "ガードセンター(監視センター)にて異常信",
    ),
    (
        "間違えて警報を鳴らしてしまいました。どこに連絡すればいいですか?",
        "誤報の場合は、ガードセンターまでその旨ご",
    ),
    (
        "子どもや高齢者でもホームセキュリティの操作はできますか?",
        "ALSOKのホームセキュリティは、ご高齢",
    ),
    (
        "機器の製造はどのメーカーで行っていますか?",
        "機器の特性に応じて最適なメーカーを選定し",
    ),
    (
        "自分で機器を設置することは可能ですか?",
        "ホームセキュリティは「かけつけ」のほか「",
    ),
    (
        "工事の際、配線などにより室内の美観を損ねませんか?",
        "無線機器を使用し、配線の露出を極力少なく",
    ),
    (
        "契約してからどのくらいで工事ができますか?",
        "時季にもよりますが、ご契約から約2週間程",
    ),
    (
        "電話回線やインターネット回線がなくても、ホームセキュリティは導入できますか?",
        "「HOME ALSOK Connect」",
    ),
    (
        "みまもり情報配信サービスはどの回線でも利用できますか?",
        "利用できます。使用する回線の種類によって",
    ),
    (
        "契約する際に新しい回線が必要ですか?",
        "HOME ALSOK Connectは、",
    ),
    (
        "非常通報のサービスのみ契約していて火災の被害にあった場合でも、見舞金は支払われますか?",
        "支払われます。対象商品をご契約いただいて",
    ),
    (
        "店舗併用住宅の店舗にて被害を受けた場合にも、見舞金は支払われますか?",
        "支払われます。店舗併用住宅(ホームセキュ",
    ),
    (
        "ガラス1枚破損した場合にも見舞金は支払われますか?",
        "支払われます。被害が少額でも一律10万円",
    ),
    (
        "投函物の転送は別料金ですか?",
        "別途送付に要する実費をいただきます。",
    ),
    (
        "敷地内の見回りはどのようなポイントをチェックしてくれますか?",
        "建物の扉や窓の施錠確認や窓ガラスの破損状",
    ),
    (
        "投函物整頓サービスについて詳しく教えてください。",
        "郵便受けに投函されたものを確認のうえ回収",
    ),
    (
        "投函物は海外にも転送してもらえますか?",
        "投函物の転送は日本国内に限ります。",
    ),
    (
        "換気サービスについて詳しく教えてください。",
        "留守宅の維持管理にニーズの高い「換気」を",
    ),
    (
        "サービスを受けられるのはどの地域ですか?",
        "一部離島や山間部を除き、全国対応をしてお",
    ),
    (
        "るすたくセキュリティのみ契約はできますか?",
        "オプションサービスのため、るすたくセキュ",
    ),
    (
        "るすたくサービスの契約期間はどのくらいですか?",
        "1年契約です。その後、1年単位での自動更",
    ),
    (
        "るすたくセキュリティ導入前に準備することはありますか?",
        "現地の電気を使用できる状態にしておいてく",
    ),
    (
        "2機種あるカメラの違いはなんですか?",
        "パン・チルト機能(遠隔でカメラの向きを上",
    ),
    (
        "画像付きの異常メールはALSOKにも送られているのですか?",
        "お客様が設定したアドレス宛にのみ送られま",
    ),
    (
        "回線に関して教えてください。",
        "ご対象先には、常時接続のインターネット回",
    ),
    (
        "無線LAN接続はできますか?",
        "家の中の無線ルーターに接続できます。",
    ),
    (
        "IPカメラの接続には何が必要ですか?",
        "電源100Vと、インターネット回線(光)",
    ),
    (
        "IPカメラのみ購入はできませんか?",
        "できます。ただし、後から、かけつけサービ",
    ),
    (
        "2年契約ですが、中途解約することは可能ですか?",
        "3か月前にALSOKへ通知することで可能",
    ),
    (
        "解約時に違約金は発生しますか?",
        "かけつけサービス契約の違約金は発生しませ",
    ),
    (
        "分割払契約での支払いが終了する2年後は月額料金はどうなりますか?",
        "分割払契約での支払いが終了した後は、分割",
    ),
    (
        "表札をつけていませんが、サービスを受けられますか?",
        "表札がなくてもサービス提供は可能ですが、",
    ),
    (
        "店舗併用住宅でも契約はできますか?",
        "店舗併用住宅でもサービス提供は可能ですが",
    ),
    (
        "契約者の都合がつかないので、別の人が契約説明を受けても問題ないですか?",
        "原則としてご契約者様の同席が必要です。ど",
    ),
    (
        "本人確認用パスワードを忘れました。",
        "ご契約者様ご本人から、アルボeyeをご契",
    ),
    (
        "出動依頼をした後でキャンセルしても、料金はかかりますか?",
        "一度出動依頼を受け付けた後は、キャンセル",
    ),
    (
        "HOME ALSOKアルボeyeとホームセキュリティを両方契約した場合、出動依頼の連絡はどこにすればよいですか?",
        "ホームセキュリティの担当ガードセンターへ",
    ),
    (
        "支払い方法はクレジットカードだけですか?",
        "原則としてクレジットカードでお支払いいた",
    ),
    (
        "開始・解約月は、月額料金は日割計算ですか?",
        "はい、開始・解約月ともに日割計算でのご請",
    ),
    (
        "まもるっくの使い方がわかりません",
        "ご契約者様ご本人から、 まもるっく専用窓",
    ),
    (
        "海外で使用できますか?",
        "使用できません。まもるっくは日本国内を対",
    ),
    (
        "防水機能はありますか?",
        "日常生活における一般的な行動範囲内であれ",
    ),
    (
        "緊急連絡先は何名まで登録できますか?",
        "契約ごとに3名まで登録できます。",
    ),
    (
        "まもるっくの契約期間はどのくらいですか?",
        "3年契約です。その後、1年単位での自動更",
    ),
    (
        "端末を紛失・破損したとき保証は適用されますか?",
        "バッテリー劣化、および盗難・紛失・破損を",
    ),
    (
        "本体の色は選べますか?",
        "イエローとブルーのみの取り扱いです。",
    ),
    (
        "端末を購入することはできますか?",
        "レンタルのみとなります。",
    ),
    (
        "いま使っているまもるっくから移行はできますか?",
        "はい。当社より順次ご案内致します。",
    ),
    (
        "Bluetoothの電波がとぶ距離を教えてください。",
        "約20~50mです。ただし、環境によって",
    ),
    (
        "みまもりタグは防水対応ですか?",
        "はい、生活防水対応です。(IPX4相当)",
    ),
    (
        "気温0℃以下での使用は可能ですか?",
        "みまもりタグで動作が保証される温度は0℃",
    ),
    (
        "介護についての相談がしたいです",
        "ALSOKグループが運営する有料老人ホー",
    ),
    (
        "みまもりタグについて知りたいです",
        "みまもりタグに関するご相談を承ります。",
    ),
    (
        "ALSOKハウスサポートを利用したいです",
        "ALSOKハウスサポートに関するご相談を",
    ),
]

# Seeds with no Q&A of their own: the catalog phrases their text as questions and says so in a note.
NO_QA_SEEDS = ["stalker-rider", "smasapo-club", "watashi-no-omamori"]


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _entry_for(catalog: Catalog, product_id: str, question: str) -> Any:
    wanted = _norm(question)
    found = [f for f in catalog.product(product_id).faq if wanted in _norm(f.q)]
    assert len(found) == 1, f"{question!r}: {len(found)} FAQ entries"
    return found[0]


@pytest.mark.parametrize(("question", "answer"), AND_ME_QA, ids=[f"me-{i}" for i in range(len(AND_ME_QA))])
def test_given_an_and_me_seed_question_then_the_catalog_has_it_with_the_seeds_answer(
    catalog: Catalog, question: str, answer: str
):
    entry = _entry_for(catalog, "and-me", question)
    assert _norm(answer) in _norm(entry.a)


@pytest.mark.parametrize(("question", "answer"), ALSOK_QA, ids=[f"alsok-{i}" for i in range(len(ALSOK_QA))])
def test_given_an_alsok_seed_question_then_the_catalog_has_it_with_the_seeds_answer(
    catalog: Catalog, question: str, answer: str
):
    entry = _entry_for(catalog, "home-alsok", question)
    assert _norm(answer) in _norm(entry.a)


@pytest.mark.parametrize(
    ("product_id", "seed_qa", "entries"), [("and-me", AND_ME_QA, 30), ("home-alsok", ALSOK_QA, 87)]
)
def test_given_a_seed_with_a_faq_then_the_catalog_faq_holds_its_questions_and_nothing_else(
    catalog: Catalog, product_id: str, seed_qa: list[tuple[str, str]], entries: int
):
    # 30 questions in and ME; 88 in ALSOK, two of which share one answer (one entry).
    faq = catalog.product(product_id).faq
    assert len(faq) == entries
    seed_questions = [_norm(q) for q, _ in seed_qa]
    for entry in faq:
        rest = _norm(entry.q)
        for q in seed_questions:
            rest = rest.replace(q, "")
        assert rest == "", f"{entry.q!r} is not a question of the seed"


def test_given_the_seed_lists_then_they_count_every_question_once():
    assert len(AND_ME_QA) == 30
    assert len(ALSOK_QA) == 88
    assert len({q for q, _ in AND_ME_QA}) == 30
    assert len({q for q, _ in ALSOK_QA}) == 88


@pytest.mark.parametrize("product_id", NO_QA_SEEDS)
def test_given_a_seed_without_qa_then_the_catalog_faq_is_phrased_from_it_and_says_so(catalog: Catalog, product_id: str):
    faq = catalog.product(product_id).faq
    assert faq, "every product page shows a FAQ"
    for entry in faq:
        assert entry.q.strip() and entry.a.strip()
        assert entry.note and "問答の形" in entry.note


@pytest.mark.parametrize("product_id", list(SEED_INDEX.values()))
def test_given_a_product_then_every_faq_entry_names_the_products_seed(catalog: Catalog, product_id: str):
    seed = next(file for file, pid in SEED_INDEX.items() if pid == product_id)
    assert {entry.source for entry in catalog.product(product_id).faq} == {seed}


# --------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------


def _sources_in(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k == "source" and isinstance(v, str)]
        return found + [s for k, v in node.items() if k != "source" for s in _sources_in(v)]
    if isinstance(node, list):
        return [s for v in node for s in _sources_in(v)]
    return []


def test_given_the_catalog_then_it_lists_exactly_the_five_seed_documents(catalog: Catalog):
    assert sorted(s.file for s in catalog.sources) == sorted(SEED_INDEX)
    assert all(s.title and s.publisher for s in catalog.sources)


def test_given_the_seed_documents_then_the_dates_listed_are_the_ones_they_state(catalog: Catalog):
    # 001: 改定日 2021年8月26日; 002: 平成28年8月1日制定; 004: 保険期間 2025年4月1日から. 000 and 003 give none.
    dates = {s.file: s.date for s in catalog.sources}
    assert [str(dates[f]) if dates[f] else None for f in sorted(SEED_INDEX)] == [
        None,
        "2021-08-26",
        "2016-08-01",
        None,
        "2025-04-01",
    ]


def test_given_the_raw_file_then_every_source_reference_names_a_listed_document(catalog_raw: dict[str, Any]):
    # Read independently of the loader, so a loader bug cannot hide an unknown file name.
    raw = catalog_raw
    listed = {s["file"] for s in raw["sources"]}
    refs = _sources_in(raw["products"])
    assert len(refs) > 100
    assert set(refs) <= listed


@pytest.mark.parametrize(("seed", "product_id"), list(SEED_INDEX.items()))
def test_given_a_product_then_it_and_everything_in_it_cite_its_seed_as_the_readme_indexes_it(
    catalog_raw: dict[str, Any], seed: str, product_id: str
):
    product = next(p for p in catalog_raw["products"] if p["id"] == product_id)
    assert product["source"] == seed
    assert set(_sources_in(product)) == {seed}
