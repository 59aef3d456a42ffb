<?xml version="1.0" encoding="utf-8"?>
<!--
  feed.xsl: syndic's RSS 2.0 and Atom 1.0 documents, shown to a person who opens one in a
  browser. Every RSS and Atom document points here with <?xml-stylesheet?>; the browser applies
  this XSLT 1.0 stylesheet and shows the page it makes instead of the raw XML.

  The page is in the feed's language (RSS channel/language, Atom xml:lang; English for a feed
  across languages), says in English and French what a feed is and how to subscribe (in the
  feed's language alone for a site in one language), with the feed's own address, then lists
  the items as the document orders them (newest first): title linked to the permalink, date,
  people, summary, translations.

  Safe by construction: everything taken from the feed is written as text or as an attribute
  value, which the XSLT processor escapes. The items' HTML (content:encoded, atom:content) is
  never copied into the page, and disable-output-escaping is never used. RSS summaries are HTML
  by the format's rules, and syndic writes them as escaped text: the five entities it uses are
  decoded here, character by character, into text.

  The marker in <style> below is replaced by syndic's shared CSS (the index page's) when the
  stylesheet is served or written, so both pages look the same; for a site in one language,
  syndic sets the variable one-language below to true().
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:fh="http://purl.org/syndication/history/1.0"
  exclude-result-prefixes="atom dc fh">

  <xsl:output method="html" encoding="utf-8" indent="no" doctype-system="about:legacy-compat"/>

  <!-- The page's language: the feed's, else English. -->
  <xsl:variable name="lang">
    <xsl:choose>
      <xsl:when test="normalize-space(/rss/channel/language)">
        <xsl:value-of select="normalize-space(/rss/channel/language)"/>
      </xsl:when>
      <xsl:when test="normalize-space(/atom:feed/@xml:lang)">
        <xsl:value-of select="normalize-space(/atom:feed/@xml:lang)"/>
      </xsl:when>
      <xsl:otherwise>en</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <!-- French first on a French page, English first on any other. -->
  <xsl:variable name="french" select="starts-with($lang, 'fr')"/>

  <!-- Whether the site is in one language: then the page says everything in the page's
       language alone (French on a French page, English on any other). syndic sets it. -->
  <xsl:variable name="one-language" select="false()"/>

  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="rss/channel">
        <xsl:apply-templates select="rss/channel"/>
      </xsl:when>
      <xsl:when test="atom:feed">
        <xsl:apply-templates select="atom:feed"/>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="channel">
    <xsl:call-template name="page">
      <xsl:with-param name="format">RSS</xsl:with-param>
      <xsl:with-param name="title" select="title"/>
      <xsl:with-param name="description" select="description[. != current()/title]"/>
      <xsl:with-param name="site" select="link"/>
      <xsl:with-param name="links" select="atom:link"/>
      <xsl:with-param name="archive" select="boolean(fh:archive)"/>
      <xsl:with-param name="count" select="count(item)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="atom:feed">
    <xsl:call-template name="page">
      <xsl:with-param name="format">Atom</xsl:with-param>
      <xsl:with-param name="title" select="atom:title"/>
      <xsl:with-param name="description" select="atom:subtitle"/>
      <xsl:with-param name="site" select="atom:link[@rel = 'alternate'][1]/@href"/>
      <xsl:with-param name="links" select="atom:link"/>
      <xsl:with-param name="archive" select="boolean(fh:archive)"/>
      <xsl:with-param name="count" select="count(atom:entry)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- The whole page; the items come from the context node's item or atom:entry children. -->
  <xsl:template name="page">
    <xsl:param name="format"/>
    <xsl:param name="title"/>
    <xsl:param name="description"/>
    <xsl:param name="site"/>
    <xsl:param name="links"/>
    <xsl:param name="archive"/>
    <xsl:param name="count"/>
    <xsl:variable name="self" select="$links[@rel = 'self'][1]/@href"/>
    <xsl:variable name="current" select="$links[@rel = 'current'][1]/@href"/>
    <html lang="{$lang}">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>
          <xsl:value-of select="$title"/>
          <xsl:text> – </xsl:text>
          <xsl:value-of select="$format"/>
        </title>
        <style>/* syndic: shared CSS */</style>
      </head>
      <body>
        <header class="banner">
          <div class="wrap">
            <p class="kicker">
              <xsl:call-template name="both">
                <xsl:with-param name="en">
                  <xsl:value-of select="$format"/>
                  <xsl:text> feed</xsl:text>
                  <xsl:if test="$archive">, archive page</xsl:if>
                </xsl:with-param>
                <xsl:with-param name="fr">
                  <xsl:text>Fil </xsl:text>
                  <xsl:value-of select="$format"/>
                  <xsl:if test="$archive">, page d’archive</xsl:if>
                </xsl:with-param>
              </xsl:call-template>
            </p>
            <h1><xsl:value-of select="$title"/></h1>
            <xsl:if test="normalize-space($description)">
              <p class="lead"><xsl:value-of select="$description"/></p>
            </xsl:if>
            <xsl:if test="starts-with($site, 'https://') or starts-with($site, 'http://')">
              <p class="site">
                <a href="{$site}">
                  <xsl:call-template name="both">
                    <xsl:with-param name="en">Go to the website</xsl:with-param>
                    <xsl:with-param name="fr">Aller au site Web</xsl:with-param>
                  </xsl:call-template>
                </a>
              </p>
            </xsl:if>
          </div>
        </header>
        <main class="wrap">
          <section class="note" aria-labelledby="subscribe">
            <h2 id="subscribe">
              <xsl:call-template name="both">
                <xsl:with-param name="en">How to subscribe</xsl:with-param>
                <xsl:with-param name="fr">Comment s’abonner</xsl:with-param>
              </xsl:call-template>
            </h2>
            <xsl:choose>
              <xsl:when test="$one-language and $french">
                <xsl:call-template name="explain-fr">
                  <xsl:with-param name="archive" select="$archive"/>
                </xsl:call-template>
              </xsl:when>
              <xsl:when test="$one-language">
                <xsl:call-template name="explain-en">
                  <xsl:with-param name="archive" select="$archive"/>
                </xsl:call-template>
              </xsl:when>
              <xsl:when test="$french">
                <div class="pair">
                  <xsl:call-template name="explain-fr">
                    <xsl:with-param name="archive" select="$archive"/>
                  </xsl:call-template>
                  <xsl:call-template name="explain-en">
                    <xsl:with-param name="archive" select="$archive"/>
                  </xsl:call-template>
                </div>
              </xsl:when>
              <xsl:otherwise>
                <div class="pair">
                  <xsl:call-template name="explain-en">
                    <xsl:with-param name="archive" select="$archive"/>
                  </xsl:call-template>
                  <xsl:call-template name="explain-fr">
                    <xsl:with-param name="archive" select="$archive"/>
                  </xsl:call-template>
                </div>
              </xsl:otherwise>
            </xsl:choose>
            <p class="address">
              <span class="label">
                <xsl:call-template name="both">
                  <xsl:with-param name="en">Feed address</xsl:with-param>
                  <xsl:with-param name="fr">Adresse du fil</xsl:with-param>
                </xsl:call-template>
              </span>
              <xsl:text> </xsl:text>
              <code>
                <xsl:choose>
                  <xsl:when test="$archive and $current">
                    <xsl:value-of select="$current"/>
                  </xsl:when>
                  <xsl:otherwise>
                    <xsl:value-of select="$self"/>
                  </xsl:otherwise>
                </xsl:choose>
              </code>
            </p>
          </section>
          <section aria-labelledby="posts">
            <h2 id="posts">
              <xsl:choose>
                <xsl:when test="$archive">
                  <xsl:call-template name="both">
                    <xsl:with-param name="en">Posts on this page</xsl:with-param>
                    <xsl:with-param name="fr">Billets de cette page</xsl:with-param>
                  </xsl:call-template>
                </xsl:when>
                <xsl:otherwise>
                  <xsl:call-template name="both">
                    <xsl:with-param name="en">Latest posts</xsl:with-param>
                    <xsl:with-param name="fr">Derniers billets</xsl:with-param>
                  </xsl:call-template>
                </xsl:otherwise>
              </xsl:choose>
            </h2>
            <xsl:choose>
              <xsl:when test="$count &gt; 0">
                <ol class="items">
                  <xsl:apply-templates select="item | atom:entry"/>
                </ol>
              </xsl:when>
              <xsl:otherwise>
                <p>
                  <xsl:call-template name="both">
                    <xsl:with-param name="en">No posts yet.</xsl:with-param>
                    <xsl:with-param name="fr">Aucun billet pour l’instant.</xsl:with-param>
                  </xsl:call-template>
                </p>
              </xsl:otherwise>
            </xsl:choose>
            <xsl:call-template name="pages">
              <xsl:with-param name="older" select="$links[@rel = 'prev-archive'][1]/@href"/>
              <xsl:with-param name="newer" select="$links[@rel = 'next-archive'][1]/@href"/>
            </xsl:call-template>
          </section>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="explain-en">
    <xsl:param name="archive"/>
    <div lang="en">
      <p>A feed lists a site’s newest posts, so that a feed reader can show you each new one as
        it comes out. This is one, shown as a page because you opened it in a browser.</p>
      <xsl:choose>
        <xsl:when test="$archive">
          <p>This page is part of the feed’s archive: it keeps older posts. To follow new ones,
            copy the feed’s address below into your feed reader.</p>
        </xsl:when>
        <xsl:otherwise>
          <p>To subscribe, copy this feed’s address below and paste it into your feed
            reader.</p>
        </xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

  <xsl:template name="explain-fr">
    <xsl:param name="archive"/>
    <div lang="fr">
      <p>Un fil de syndication énumère les plus récents billets d’un site, pour qu’un lecteur
        de fils vous montre chaque nouveau billet dès sa parution. En voici un, présenté comme
        une page parce que vous l’avez ouvert dans un navigateur.</p>
      <xsl:choose>
        <xsl:when test="$archive">
          <p>Cette page fait partie des archives du fil&#160;: elle garde des billets plus
            anciens. Pour suivre les nouveaux, copiez l’adresse du fil ci-dessous dans votre
            lecteur de fils.</p>
        </xsl:when>
        <xsl:otherwise>
          <p>Pour vous abonner, copiez l’adresse de ce fil ci-dessous et collez-la dans votre
            lecteur de fils.</p>
        </xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

  <xsl:template match="item">
    <xsl:call-template name="entry">
      <xsl:with-param name="title" select="title"/>
      <xsl:with-param name="link" select="link"/>
      <xsl:with-param name="lang" select="dc:language"/>
      <xsl:with-param name="date" select="pubDate"/>
      <xsl:with-param name="iso">
        <xsl:call-template name="rfc822-day">
          <xsl:with-param name="text" select="normalize-space(pubDate)"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="names" select="dc:creator"/>
      <xsl:with-param name="summary">
        <xsl:call-template name="unescape">
          <xsl:with-param name="text" select="description"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="translations" select="atom:link[@rel = 'related'][@hreflang]"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="atom:entry">
    <xsl:variable name="date">
      <xsl:choose>
        <xsl:when test="atom:published"><xsl:value-of select="atom:published"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="atom:updated"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:call-template name="entry">
      <xsl:with-param name="title" select="atom:title"/>
      <xsl:with-param name="link"
        select="(atom:link[@rel = 'alternate' or not(@rel)][not(@hreflang) or @hreflang = current()/@xml:lang])[1]/@href"/>
      <xsl:with-param name="lang" select="@xml:lang"/>
      <xsl:with-param name="date" select="substring($date, 1, 10)"/>
      <xsl:with-param name="iso" select="substring($date, 1, 10)"/>
      <xsl:with-param name="names" select="atom:author/atom:name"/>
      <xsl:with-param name="summary" select="atom:summary"/>
      <xsl:with-param name="translations" select="atom:link[@rel = 'related'][@hreflang]"/>
    </xsl:call-template>
  </xsl:template>

  <!-- One item: what every format gives, as text. -->
  <xsl:template name="entry">
    <xsl:param name="title"/>
    <xsl:param name="link"/>
    <xsl:param name="lang"/>
    <xsl:param name="date"/>
    <xsl:param name="iso"/>
    <xsl:param name="names"/>
    <xsl:param name="summary"/>
    <xsl:param name="translations"/>
    <li>
      <xsl:if test="normalize-space($lang)">
        <xsl:attribute name="lang"><xsl:value-of select="normalize-space($lang)"/></xsl:attribute>
      </xsl:if>
      <article>
        <h3>
          <xsl:choose>
            <xsl:when test="starts-with($link, 'https://') or starts-with($link, 'http://')">
              <a href="{$link}"><xsl:value-of select="$title"/></a>
            </xsl:when>
            <xsl:otherwise>
              <xsl:value-of select="$title"/>
            </xsl:otherwise>
          </xsl:choose>
        </h3>
        <p class="meta">
          <xsl:if test="normalize-space($date)">
            <time>
              <xsl:if test="string-length($iso) = 10">
                <xsl:attribute name="datetime"><xsl:value-of select="$iso"/></xsl:attribute>
              </xsl:if>
              <xsl:choose>
                <xsl:when test="string-length($iso) = 10"><xsl:value-of select="$iso"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="$date"/></xsl:otherwise>
              </xsl:choose>
            </time>
          </xsl:if>
          <xsl:if test="normalize-space($date) and $names">
            <span class="sep" aria-hidden="true"> · </span>
          </xsl:if>
          <xsl:for-each select="$names">
            <xsl:if test="position() &gt; 1">, </xsl:if>
            <xsl:value-of select="."/>
          </xsl:for-each>
        </p>
        <xsl:if test="normalize-space($summary)">
          <p class="summary"><xsl:value-of select="$summary"/></p>
        </xsl:if>
        <xsl:variable name="others" select="$translations[@hreflang != normalize-space($lang)]"/>
        <xsl:if test="$others">
          <p class="also">
            <xsl:for-each select="$others">
              <xsl:if test="starts-with(@href, 'https://') or starts-with(@href, 'http://')">
                <xsl:if test="position() &gt; 1"><span class="sep" aria-hidden="true"> · </span></xsl:if>
                <a href="{@href}" hreflang="{@hreflang}" lang="{@hreflang}">
                  <xsl:call-template name="language-name">
                    <xsl:with-param name="code" select="@hreflang"/>
                  </xsl:call-template>
                </a>
              </xsl:if>
            </xsl:for-each>
          </p>
        </xsl:if>
      </article>
    </li>
  </xsl:template>

  <!-- Links to the older and newer archive pages, where there are any. -->
  <xsl:template name="pages">
    <xsl:param name="older"/>
    <xsl:param name="newer"/>
    <xsl:variable name="has-older" select="starts-with($older, 'https://') or starts-with($older, 'http://')"/>
    <xsl:variable name="has-newer" select="starts-with($newer, 'https://') or starts-with($newer, 'http://')"/>
    <xsl:if test="$has-older or $has-newer">
      <nav class="pages">
        <xsl:attribute name="aria-label">
          <xsl:choose>
            <xsl:when test="$one-language and $french">Pages d’archive</xsl:when>
            <xsl:when test="$one-language">Archive pages</xsl:when>
            <xsl:when test="$french">Pages d’archive / Archive pages</xsl:when>
            <xsl:otherwise>Archive pages / Pages d’archive</xsl:otherwise>
          </xsl:choose>
        </xsl:attribute>
        <xsl:if test="$has-newer">
          <a href="{$newer}" rel="next">
            <xsl:call-template name="both">
              <xsl:with-param name="en">Newer posts</xsl:with-param>
              <xsl:with-param name="fr">Billets plus récents</xsl:with-param>
            </xsl:call-template>
          </a>
        </xsl:if>
        <xsl:if test="$has-older">
          <a href="{$older}" rel="prev">
            <xsl:call-template name="both">
              <xsl:with-param name="en">Older posts</xsl:with-param>
              <xsl:with-param name="fr">Billets plus anciens</xsl:with-param>
            </xsl:call-template>
          </a>
        </xsl:if>
      </nav>
    </xsl:if>
  </xsl:template>

  <!-- English and French side by side, the page's language first, each marked with its lang;
       the page's language alone for a site in one language. -->
  <xsl:template name="both">
    <xsl:param name="en"/>
    <xsl:param name="fr"/>
    <xsl:choose>
      <xsl:when test="$one-language and $french">
        <span lang="fr"><xsl:value-of select="$fr"/></span>
      </xsl:when>
      <xsl:when test="$one-language">
        <span lang="en"><xsl:value-of select="$en"/></span>
      </xsl:when>
      <xsl:when test="$french">
        <span lang="fr"><xsl:value-of select="$fr"/></span>
        <span class="sep" aria-hidden="true"> / </span>
        <span lang="en"><xsl:value-of select="$en"/></span>
      </xsl:when>
      <xsl:otherwise>
        <span lang="en"><xsl:value-of select="$en"/></span>
        <span class="sep" aria-hidden="true"> / </span>
        <span lang="fr"><xsl:value-of select="$fr"/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A language's name in itself; the code for languages not known here. -->
  <xsl:template name="language-name">
    <xsl:param name="code"/>
    <xsl:choose>
      <xsl:when test="starts-with($code, 'en')">English</xsl:when>
      <xsl:when test="starts-with($code, 'fr')">Français</xsl:when>
      <xsl:otherwise><xsl:value-of select="$code"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The day of an RFC 822 date ("Tue, 9 Jul 2024 13:00:00 -0400") as YYYY-MM-DD, in the
       date's own offset; nothing if it cannot be read. -->
  <xsl:template name="rfc822-day">
    <xsl:param name="text"/>
    <xsl:variable name="rest">
      <xsl:choose>
        <xsl:when test="contains($text, ',')">
          <xsl:value-of select="normalize-space(substring-after($text, ','))"/>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="day" select="substring-before($rest, ' ')"/>
    <xsl:variable name="month-name" select="substring-before(substring-after($rest, ' '), ' ')"/>
    <xsl:variable name="year"
      select="substring-before(substring-after(substring-after($rest, ' '), ' '), ' ')"/>
    <xsl:variable name="months" select="'JanFebMarAprMayJunJulAugSepOctNovDec'"/>
    <xsl:if test="string-length($month-name) = 3 and contains($months, $month-name)
                  and string-length($year) = 4 and number($year) = number($year)
                  and number($day) &gt;= 1 and number($day) &lt;= 31">
      <xsl:value-of select="concat($year, '-',
        format-number(string-length(substring-before($months, $month-name)) div 3 + 1, '00'),
        '-', format-number(number($day), '00'))"/>
    </xsl:if>
  </xsl:template>

  <!-- HTML-escaped text (&amp; &lt; &gt; &quot; &#39; &apos;) back to its characters, as text:
       the result is escaped again when the page is written, so no markup comes of it. -->
  <xsl:template name="unescape">
    <xsl:param name="text"/>
    <xsl:choose>
      <xsl:when test="contains($text, '&amp;')">
        <xsl:value-of select="substring-before($text, '&amp;')"/>
        <xsl:variable name="after" select="substring-after($text, '&amp;')"/>
        <xsl:variable name="entity" select="substring-before($after, ';')"/>
        <xsl:choose>
          <xsl:when test="$entity = 'amp'">&amp;</xsl:when>
          <xsl:when test="$entity = 'lt'">&lt;</xsl:when>
          <xsl:when test="$entity = 'gt'">&gt;</xsl:when>
          <xsl:when test="$entity = 'quot'">"</xsl:when>
          <xsl:when test="$entity = '#39' or $entity = 'apos'">'</xsl:when>
          <xsl:otherwise>&amp;</xsl:otherwise>
        </xsl:choose>
        <xsl:call-template name="unescape">
          <xsl:with-param name="text">
            <xsl:choose>
              <xsl:when test="$entity = 'amp' or $entity = 'lt' or $entity = 'gt'
                              or $entity = 'quot' or $entity = '#39' or $entity = 'apos'">
                <xsl:value-of select="substring-after($after, ';')"/>
              </xsl:when>
              <xsl:otherwise><xsl:value-of select="$after"/></xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$text"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
