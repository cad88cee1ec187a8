/* jpage list pager (not saved; the list is loaded from dataproxy.jsp) */
