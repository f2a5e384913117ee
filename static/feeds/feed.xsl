<?xml version="1.0" encoding="UTF-8"?>
<!-- Shows the site's RSS and Atom feeds as a page when a browser opens them. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="UTF-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/">
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="rss/channel/title | atom:feed/atom:title"/>（订阅源）</title>
        <link rel="stylesheet" href="/static/css/site.css"/>
      </head>
      <body>
        <main class="wrap feed-page">
          <p class="preview-note">这是一个订阅源（RSS/Atom）。把本页地址复制到 RSS 阅读器中，即可订阅。</p>
          <h1><xsl:value-of select="rss/channel/title | atom:feed/atom:title"/></h1>
          <p class="count"><xsl:value-of select="rss/channel/description | atom:feed/atom:subtitle"/></p>
          <xsl:apply-templates select="rss/channel/item | atom:feed/atom:entry"/>
        </main>
      </body>
    </html>
  </xsl:template>
  <xsl:template match="item">
    <article class="card"><div class="card-text">
      <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
      <p class="meta"><xsl:value-of select="pubDate"/></p>
    </div></article>
  </xsl:template>
  <xsl:template match="atom:entry">
    <article class="card"><div class="card-text">
      <h2><a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a></h2>
      <p class="meta"><xsl:value-of select="substring(atom:published, 1, 10)"/></p>
    </div></article>
  </xsl:template>
</xsl:stylesheet>
