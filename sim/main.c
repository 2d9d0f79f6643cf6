/* main.c - placeholder replaced by the mxsim command below */
int main(void) { return 0; }
