// The article body's editor (articles/editor.py). While the format is HTML a
// ProseMirror editor (django-prose-editor) takes over the textarea; with
// Markdown the textarea stays, with a live preview below it. Pictures pasted
// or dropped into the editor, or chosen with the button, are uploaded to the
// media library first: each needs its alt text.
import * as extensionsByName from "../../django_prose_editor/editor.js"

const MARKER = "data-newsroom-prose-editor"

// The editor's own words, in Chinese: django-prose-editor ships no Chinese
// catalog, and the admin's catalog has only "Cancel" of them.
const CHINESE = {
    "paragraph": "段落", "Paragraph": "正文段落", "Heading 2": "二级标题", "Heading 3": "三级标题",
    "Heading 4": "四级标题", "Code block": "代码块", "unordered list": "项目列表", "ordered list": "编号列表",
    "List properties": "列表设置", "blockquote": "引用", "horizontal rule": "分隔线", "figure": "插入图片（网址）",
    "bold": "粗体", "italic": "斜体", "strike": "删除线", "Code": "行内代码", "insert link": "插入链接",
    "remove link": "删除链接", "Insert table": "插入表格", "Insert Table": "插入表格", "Add column": "加一列",
    "Delete column": "删除列", "Add row": "加一行", "Delete row": "删除行", "Merge cells": "合并单元格",
    "Split cell": "拆分单元格", "Toggle header cell": "切换表头单元格", "Toggle header row": "切换表头行",
    "Toggle header column": "切换表头列", "Delete table": "删除表格", "Table Properties": "表格设置",
    "undo": "撤销", "redo": "重做", "Toggle fullscreen": "全屏", "Edit Link": "编辑链接", "URL": "网址",
    "Title": "标题", "Open in new window": "在新窗口打开", "Update": "确定", "Insert": "插入", "Cancel": "取消",
    "Edit Figure": "编辑图片", "Insert Figure": "插入图片", "Edit Image": "编辑图片", "Image URL": "图片网址",
    "Alternative Text": "替代文字", "Caption": "图注", "Add caption": "添加图注", "Remove caption": "删除图注",
    "Browse...": "浏览…", "Rows": "行数", "Columns": "列数", "Include header row": "包含表头行",
    "List type": "列表类型", "Start at": "起始编号", "Bullets": "圆点", "Decimal numbers": "数字",
    "Lowercase letters": "小写字母", "Uppercase letters": "大写字母", "Lowercase Roman numerals": "小写罗马数字",
    "Uppercase Roman numerals": "大写罗马数字",
}
const adminGettext = window.gettext
window.gettext = (text) => CHINESE[text] || (adminGettext ? adminGettext(text) : text)

function speakChinese(root) {
    for (const element of root.querySelectorAll("[title], [aria-label]")) {
        for (const attribute of ["title", "aria-label"]) {
            const chinese = CHINESE[element.getAttribute(attribute)]
            if (chinese) {
                element.setAttribute(attribute, chinese)
            }
        }
    }
    for (const option of root.querySelectorAll(".prose-menubar__option > *, .prose-editor-dialog h3, .prose-editor-dialog label, .prose-editor-dialog button")) {
        if (CHINESE[option.textContent]) {
            option.textContent = CHINESE[option.textContent]
        }
    }
}

function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]")
    return input ? input.value : ""
}

function startEditor(textarea) {
    const config = JSON.parse(textarea.getAttribute(MARKER))
    const extensions = Object.entries(config.extensions)
        .filter(([name]) => extensionsByName[name])
        .map(([name, options]) =>
            typeof options === "object" ? extensionsByName[name].configure(options) : extensionsByName[name],
        )
    const element = document.createElement("div")
    element.className = "prose-editor"
    textarea.before(element)
    element.append(textarea)
    const editor = new extensionsByName.Editor({
        element,
        extensions,
        content: textarea.value,
        injectCSS: false, // the CSP allows no inline <style>; editor.css has the rules
        editorProps: {
            attributes: {"aria-label": "正文", role: "textbox", "aria-multiline": "true"},
            handlePaste: (view, event) => uploadAll(editor, textarea, filesIn(event.clipboardData)),
            handleDrop: (view, event) => uploadAll(editor, textarea, filesIn(event.dataTransfer)),
        },
        onUpdate({editor}) {
            textarea.value = editor.isEmpty ? "" : editor.getHTML()
            textarea.dispatchEvent(new Event("input", {bubbles: true}))
        },
        onDestroy() {
            element.before(textarea)
            element.remove()
        },
    })
    speakChinese(element)
    // The menu redraws its current block type, and dialogs come and go: label them as they appear.
    new MutationObserver(() => speakChinese(element)).observe(element, {childList: true, subtree: true})
    addImageButton(editor, textarea, element)
    return editor
}

function filesIn(transfer) {
    return transfer ? [...transfer.files].filter((file) => file.type.startsWith("image/")) : []
}

function uploadAll(editor, textarea, files) {
    if (!files.length || !textarea.dataset.uploadUrl) {
        return false
    }
    files.forEach((file) => upload(editor, textarea, file))
    return true
}

async function upload(editor, textarea, file) {
    const alt = window.prompt(`“${file.name}”的替代文字（必填：看不到图片的读者会读到它）`, "")
    if (!alt || !alt.trim()) {
        return
    }
    const form = new FormData()
    form.append("file", file, file.name || "pasted.png")
    form.append("alt", alt.trim())
    const response = await fetch(textarea.dataset.uploadUrl, {
        method: "POST",
        body: form,
        headers: {"X-CSRFToken": csrfToken()},
        credentials: "same-origin",
    })
    const answer = await response.json()
    if (!response.ok) {
        window.alert(`图片没有上传：${answer.error}`)
        return
    }
    editor
        .chain()
        .focus()
        .insertContent({
            type: "figure",
            content: [
                {type: "image", attrs: {src: answer.url, alt: answer.alt, width: answer.width, height: answer.height}},
                {type: "caption", content: answer.caption ? [{type: "text", text: answer.caption}] : []},
            ],
        })
        .run()
}

function addImageButton(editor, textarea, element) {
    if (!textarea.dataset.uploadUrl) {
        return
    }
    const label = document.createElement("label")
    label.className = "editor-image-button"
    label.textContent = "插入图片（也可粘贴或拖入）"
    const input = document.createElement("input")
    input.type = "file"
    input.accept = "image/*"
    input.addEventListener("change", () => {
        uploadAll(editor, textarea, [...input.files])
        input.value = ""
    })
    label.append(input)
    element.append(label)
}

function previewMarkdown(textarea, box) {
    let timer = null
    const render = async () => {
        const form = new FormData()
        form.append("body_source", textarea.value)
        form.append("body_format", "markdown")
        const response = await fetch(textarea.dataset.previewUrl, {
            method: "POST",
            body: form,
            headers: {"X-CSRFToken": csrfToken()},
            credentials: "same-origin",
        })
        if (response.ok) {
            box.querySelector(".markdown-preview-body").innerHTML = (await response.json()).html
        }
    }
    textarea.addEventListener("input", () => {
        clearTimeout(timer)
        timer = setTimeout(render, 400)
    })
    return render
}

// The editor has no node for players (iframe, video…): a body with one stays
// in its HTML textarea, so that saving cannot drop the player.
const PLAYER = /<(iframe|video|audio|embed|object)\b/i

function keepsPlayers(textarea) {
    if (!PLAYER.test(textarea.value)) {
        return false
    }
    if (!textarea.previousElementSibling?.classList.contains("editor-players-note")) {
        const note = document.createElement("p")
        note.className = "help editor-players-note"
        note.textContent = "正文里有视频或播放器，富文本编辑器无法保留它们：请直接编辑 HTML。"
        textarea.before(note)
    }
    return true
}

function setUp(textarea) {
    const format = textarea.form.querySelector("[name=body_format]")
    const preview = document.querySelector(`[data-preview-for="${textarea.id}"]`)
    const renderPreview = preview && textarea.dataset.previewUrl ? previewMarkdown(textarea, preview) : null
    let editor = null
    const follow = () => {
        const markdown = format && format.value === "markdown"
        if (markdown && editor) {
            editor.destroy()
            editor = null
        } else if (!markdown && !editor && !keepsPlayers(textarea)) {
            editor = startEditor(textarea)
        }
        if (preview) {
            preview.hidden = !markdown
            if (markdown && renderPreview) {
                renderPreview()
            }
        }
    }
    if (format) {
        format.addEventListener("change", follow)
    }
    follow()
    // Autosave (autosave.js) put other text back: show it.
    textarea.addEventListener("newsroom:replaced", () => {
        if (editor) {
            editor.commands.setContent(textarea.value)
        } else if (renderPreview) {
            renderPreview()
        }
    })
}

for (const textarea of document.querySelectorAll(`textarea[${MARKER}]`)) {
    setUp(textarea)
}
