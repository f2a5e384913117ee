'use strict';
// The article list's searching filters (articles.admin_filters.SearchingFilter):
// picking a row, or clearing the box, reloads the list with that filter alone changed.
{
    const $ = django.jQuery;
    $(function() {
        $('select.searching-filter').on('change', function() {
            const url = new URL(window.location.href);
            url.searchParams.delete(this.dataset.parameter);
            url.searchParams.delete('p');
            if (this.value) {
                url.searchParams.set(this.dataset.parameter, this.value);
            }
            window.location.assign(url);
        });
    });
}
