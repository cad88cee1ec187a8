"""Announcements shared by the store-level tests (extraction, review): a new park, its repost in
traditional characters, and a new figure of a census park."""

WUHU = {"url": "https://news.example.cn/a/1.html", "published": "2026-11-09", "title": "芜湖江城链谷区块链产业园正式开园",
        "body": "11月8日，芜湖江城链谷区块链产业园正式开园。园区由弋江区政府主导建设，占地约120亩，首批入驻企业32家。"}
WUHU_REPOST = {"url": "https://hk.example.com/b/2.html", "published": "2026-11-10", "title": "蕪湖江城鏈谷區塊鏈產業園開園",
               "body": "安徽蕪湖江城鏈谷區塊鏈產業園8日開園，首批入駐企業32家。"}
XINGSHA = {"url": "https://gov.example.cn/c/3.html", "published": "2026-11-12", "title": "星沙区块链产业园新入驻企业",
           "body": "湖南星沙区块链产业园目前入驻企业已达到156家。"}
