'use strict';
// Django's autocomplete boxes (select2) leave their parts unnamed for screen
// readers: the box, its search field and, in multiple selects, a list holding
// more than list items. Each part is named after the <select>'s own label,
// again whenever select2 redraws it.
{
    const labelOf = (select) => {
        const label = select.labels && select.labels[0];
        const text = label ? label.textContent : select.getAttribute('aria-label') || select.dataset.placeholder || '';
        return text.replace(/[:：]\s*$/, '').trim();
    };

    const nameParts = () => {
        for (const container of document.querySelectorAll('span.select2-container')) {
            const select = container.previousElementSibling;
            if (!select || select.tagName !== 'SELECT') {
                continue;
            }
            const name = labelOf(select);
            for (const part of container.querySelectorAll('.select2-selection, .select2-search__field')) {
                part.setAttribute('aria-label', name);
                part.removeAttribute('aria-labelledby');
            }
            for (const shown of container.querySelectorAll('.select2-selection__rendered[role="textbox"]')) {
                shown.setAttribute('aria-label', shown.title ? `${name}：${shown.title}` : name);
            }
            for (const list of container.querySelectorAll('ul.select2-selection__rendered, ul.select2-selection__rendered > li')) {
                list.setAttribute('role', 'none');
            }
        }
        for (const search of document.querySelectorAll('.select2-dropdown .select2-search__field')) {
            search.setAttribute('aria-label', '搜索');
        }
    };

    document.addEventListener('DOMContentLoaded', () => {
        nameParts();
        new MutationObserver(nameParts).observe(document.body, {childList: true, subtree: true});
    });
}
