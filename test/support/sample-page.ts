/** A saved news web page for the format tests: navigation and a footer around the article, a publication date and a canonical link. */
export const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<title>Japarov and Mirziyoyev open a border market | Kabar</title>
<meta property="og:title" content="Japarov and Mirziyoyev open a border market">
<meta property="article:published_time" content="2025-03-12T11:00:00+06:00">
<link rel="canonical" href="https://kabar.kg/news/border-market">
</head><body>
<nav><a href="/">Home</a> <a href="/economy">Economy</a> <a href="/weather">Weather forecast</a></nav>
<article><h1>Japarov and Mirziyoyev open a border market</h1>
<p>President Sadyr Japarov and President Shavkat Mirziyoyev opened a border trade market near Osh.</p>
<p>The market will serve traders from Kyrgyzstan and Uzbekistan, and the two presidents agreed to simplify customs checks for farm produce.</p></article>
<footer>© Kabar. All rights reserved.</footer></body></html>`;
