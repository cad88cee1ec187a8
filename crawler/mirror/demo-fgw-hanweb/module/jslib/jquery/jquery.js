/* jQuery (not saved) */
